using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using SymGrad.Orleans;

namespace SymGrad.Samples.Distributed;

/// <summary>
/// A development cluster on localhost: silos in this process, each a real Orleans host with its own TCP silo and gateway
/// ports (silo 1 is the primary that development clustering needs), and a client connected through silo 1's gateway.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<IHost?> _silos = new();
    private IHost? _client;
    private readonly int _primaryPort;

    private LocalCluster(int primaryPort) => _primaryPort = primaryPort;

    /// <summary>The client the coordinator uses.</summary>
    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    /// <summary>The address of silo <paramref name="index"/> (from 0).</summary>
    public string SiloAddress(int index) => _silos[index]!.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    /// <summary>Starts <paramref name="silos"/> silos that all register the data set, then the client.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, string dataSet, IShardSource<Logistic.LossSample> source)
    {
        int[] ports = FreePorts(2 * silos);
        var cluster = new LocalCluster(ports[0]);
        for (int i = 0; i < silos; i++)
        {
            int siloPort = ports[2 * i], gatewayPort = ports[(2 * i) + 1];
            IHost silo = new HostBuilder()
                .UseOrleans(builder =>
                {
                    builder.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, cluster._primaryPort));
                    builder.Configure<ClusterMembershipOptions>(options =>
                    {
                        // Declare a dead silo dead within a few seconds (the defaults take tens of seconds).
                        options.ProbeTimeout = TimeSpan.FromSeconds(1);
                        options.NumMissedProbesLimit = 2;
                        options.NumVotesForDeathDeclaration = 1;
                        options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                    });
                    builder.AddSymGrad();
                    builder.AddMemoryGrainStorage(SymGradSiloOptions.CheckpointStorageName);
                    builder.AddShardedDataSet<Logistic.LossObjective, Logistic.LossSample>(dataSet, source);
                })
                .Build();
            await silo.StartAsync();
            cluster._silos.Add(silo);
        }

        cluster._client = new HostBuilder()
            .UseOrleansClient(builder => builder.UseLocalhostClustering(ports[1]))
            .Build();
        await cluster._client.StartAsync();
        return cluster;
    }

    /// <summary>Kills silo <paramref name="index"/> as a crash would: no graceful shutdown, no deactivation, nothing handed over.</summary>
    public async Task KillAsync(int index)
    {
        IHost silo = _silos[index]!;
        _silos[index] = null;
        using var crash = new CancellationTokenSource();
        crash.Cancel();
        try
        {
            await silo.StopAsync(crash.Token);
        }
        catch (OperationCanceledException)
        {
        }

        silo.Dispose();
    }

    /// <summary>Stops the client, then the silos (the primary last).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        for (int i = _silos.Count - 1; i >= 0; i--)
        {
            if (_silos[i] is IHost silo)
            {
                await silo.StopAsync();
                silo.Dispose();
            }
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = new TcpListener[count];
        var ports = new int[count];
        for (int i = 0; i < count; i++)
        {
            listeners[i] = new TcpListener(IPAddress.Loopback, 0);
            listeners[i].Start();
            ports[i] = ((IPEndPoint)listeners[i].LocalEndpoint).Port;
        }

        foreach (TcpListener listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }
}
