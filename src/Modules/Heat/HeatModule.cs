namespace Socle.Modules.Heat;

/// <summary>The Heat module: district heating and cooling networks.</summary>
public static class HeatModule
{
}
