using System;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace SymGrad.Orleans;

/// <summary>Configures the client that runs a <see cref="ShardedTrainer"/>, in Orleans' <see cref="IClientBuilder"/> conventions.</summary>
public static class SymGradClientBuilderExtensions
{
    /// <summary>
    /// Prepares a client to coordinate training: raises its response timeout (Orleans' default is 30 s) to at least
    /// <paramref name="callTimeout"/>, so that a shard evaluation that takes longer than 30 s (hundreds of millions of
    /// rows per silo) is bounded by the trainer's <see cref="ShardedTrainerOptions.CallTimeout"/> and retried by it, not
    /// cut short by Orleans on every attempt.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="callTimeout">The trainer's call timeout; null for the default of <see cref="ShardedTrainerOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IClientBuilder AddSymGrad(this IClientBuilder builder, TimeSpan? callTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TimeSpan timeout = callTimeout ?? new ShardedTrainerOptions().CallTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(callTimeout), callTimeout, "Must be positive.");
        }

        builder.Services.Configure<ClientMessagingOptions>(options =>
        {
            if (options.ResponseTimeout < timeout)
            {
                options.ResponseTimeout = timeout;
            }
        });
        return builder;
    }
}
