public import TraderWorkflows

/// Every action the built-in and user workflows can name, bound to one run's environment.
///
/// Actions are grouped by slice (`data.*`, `analyze.*`, `regime.*`, `strategy.*`,
/// `backtest.*`, `optimize.*`, `ensemble.*`, `sizing.*`, `risk.*`, `monitor.*`, `report.*`);
/// the paper and live runtimes add theirs (`paper.*`, `live.*`) the same way.
public enum WorkflowActions {
    public static func registry(_ env: WorkflowEnvironment) -> ActionRegistry {
        var registry = ActionRegistry()
        DataActions.register(into: &registry, env)
        AnalysisActions.register(into: &registry, env)
        BacktestActions.register(into: &registry, env)
        RiskActions.register(into: &registry, env)
        MonitorActions.register(into: &registry, env)
        LiveActions.register(into: &registry, env)
        return registry
    }
}
