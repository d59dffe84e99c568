using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>Answers what a silo's registration of a data set says (key: the data set's name); loads no data.</summary>
internal interface IDataSetGrain : IGrainWithStringKey
{
    Task<DataSetInfo> DescribeAsync();
}
