using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace SymGrad.Orleans;

/// <summary>A stateless worker on the silo that receives the call: reads the data set's registration there.</summary>
[StatelessWorker]
internal sealed class DataSetGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, IDataSetGrain
{
    public Task<DataSetInfo> DescribeAsync()
    {
        string name = this.GetPrimaryKeyString();
        IShardedDataSet dataSet = services.GetKeyedService<IShardedDataSet>(name)
            ?? throw new ShardSourceException(string.Format(CultureInfo.InvariantCulture, "Data set '{0}' is not registered on silo {1}: call AddShardedDataSet(\"{0}\", …) on every silo's ISiloBuilder.", name, silo.SiloAddress)) { DataSet = name };
        return Task.FromResult(new DataSetInfo { ShardCount = dataSet.ShardCount, ParameterNames = dataSet.ParameterNames });
    }
}
