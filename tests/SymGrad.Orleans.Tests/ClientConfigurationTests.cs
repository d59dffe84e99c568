using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using SymGrad.Orleans;
using Xunit;

namespace SymGrad.Orleans.Tests;

/// <summary>The client extension: Orleans' 30 s response timeout must not cut a long shard evaluation short.</summary>
public sealed class ClientConfigurationTests
{
    private static TimeSpan ResponseTimeout(Action<IClientBuilder> configure)
    {
        using IHost host = new HostBuilder().UseOrleansClient(client => configure(client.UseLocalhostClustering())).Build();
        return host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout;
    }

    [Fact]
    public void AddSymGrad_raises_the_response_timeout_to_the_call_timeout_and_never_lowers_it()
    {
        TimeSpan orleansDefault = ResponseTimeout(_ => { });
        Assert.Equal(TimeSpan.FromMinutes(7), ResponseTimeout(c => c.AddSymGrad(TimeSpan.FromMinutes(7))));
        Assert.Equal(new ShardedTrainerOptions().CallTimeout, ResponseTimeout(c => c.AddSymGrad()));
        Assert.Equal(orleansDefault, ResponseTimeout(c => c.AddSymGrad(TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResponseTimeout(c => c.AddSymGrad(TimeSpan.Zero)));
    }
}
