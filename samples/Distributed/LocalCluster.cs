using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
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
/// A development cluster on localhost, every silo a real Orleans host with its own TCP silo and gateway ports (silo 1
/// is the primary that development clustering needs) and a client connected through silo 1's gateway. The last silo
/// can run in a child process (this program with the argument <c>silo</c>), so that killing it is a real crash.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<IHost?> _silos = new();
    private readonly List<string> _addresses = new();
    private Process? _child;
    private IHost? _client;

    private LocalCluster()
    {
    }

    /// <summary>The client the coordinator uses.</summary>
    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    /// <summary>The address of silo <paramref name="index"/> (from 0).</summary>
    public string SiloAddress(int index) => _addresses[index];

    /// <summary>
    /// Starts <paramref name="silos"/> silos that all register the synthetic data set, the last in a child process when
    /// <paramref name="lastInChildProcess"/>, then the client.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(int silos, string dataSet, long rows, int shards, bool lastInChildProcess = false)
    {
        int[] ports = FreePorts(2 * silos);
        var cluster = new LocalCluster();
        try
        {
            for (int i = 0; i < silos; i++)
            {
                int siloPort = ports[2 * i], gatewayPort = ports[(2 * i) + 1];
                if (lastInChildProcess && i == silos - 1)
                {
                    cluster._addresses.Add(await cluster.StartChildAsync(siloPort, gatewayPort, ports[0], dataSet, rows, shards));
                    cluster._silos.Add(null);
                    continue;
                }

                IHost silo = BuildSilo(siloPort, gatewayPort, ports[0], dataSet, rows, shards);
                await silo.StartAsync();
                cluster._silos.Add(silo);
                cluster._addresses.Add(silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString());
            }

            cluster._client = new HostBuilder()
                .UseOrleansClient(builder => builder.UseLocalhostClustering(ports[1]))
                .Build();
            await cluster._client.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A silo host that registers the synthetic data set, with failure detection in seconds.</summary>
    public static IHost BuildSilo(int siloPort, int gatewayPort, int primaryPort, string dataSet, long rows, int shards)
        => new HostBuilder()
            .UseOrleans(builder =>
            {
                builder.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort));
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
                builder.AddShardedDataSet<Logistic.LossObjective, Logistic.LossSample>(dataSet, Logistic.Source(rows, shards));
            })
            .Build();

    /// <summary>
    /// The body of the child process (<c>silo siloPort gatewayPort primaryPort dataSet rows shards</c>): starts the silo,
    /// prints its address, and runs until its standard input closes (the parent ended) or it is killed.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        using IHost silo = BuildSilo(int.Parse(args[1], inv), int.Parse(args[2], inv), int.Parse(args[3], inv), args[4], long.Parse(args[5], inv), int.Parse(args[6], inv));
        await silo.StartAsync();
        Console.WriteLine("ready " + silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
        await Console.In.ReadToEndAsync();
        await silo.StopAsync();
        return 0;
    }

    /// <summary>Kills silo <paramref name="index"/>: the child process is killed (a crash: nothing is handed over); an in-process silo is stopped without deactivating its grains.</summary>
    public async Task KillAsync(int index)
    {
        if (_silos[index] is null && _child is not null)
        {
            _child.Kill(entireProcessTree: true);
            await _child.WaitForExitAsync();
            return;
        }

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

    /// <summary>Stops the client, the child process, then the in-process silos (the primary last).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        if (_child is not null)
        {
            if (!_child.HasExited)
            {
                _child.StandardInput.Close();
                if (!_child.WaitForExit(10_000))
                {
                    _child.Kill(entireProcessTree: true);
                }
            }

            _child.Dispose();
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

    private async Task<string> StartChildAsync(int siloPort, int gatewayPort, int primaryPort, string dataSet, long rows, int shards)
    {
        var inv = CultureInfo.InvariantCulture;
        string program = typeof(LocalCluster).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { program, "silo", siloPort.ToString(inv), gatewayPort.ToString(inv), primaryPort.ToString(inv), dataSet, rows.ToString(inv), shards.ToString(inv) })
        {
            start.ArgumentList.Add(argument);
        }

        _child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        Task<string?> line = _child.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(line, Task.Delay(TimeSpan.FromSeconds(60))) != line || await line is not string ready || !ready.StartsWith("ready ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The silo process did not start within 60 s.");
        }

        return ready["ready ".Length..];
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
