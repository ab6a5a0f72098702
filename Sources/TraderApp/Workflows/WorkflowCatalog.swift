import Foundation
import TraderData
public import TraderWorkflows
import TraderYAML

/// The workflows a user can run: their own YAML files (`./workflows/*.yaml`, then
/// `$GPT_TRADER_HOME/workflows/*.yaml`) and the built-in ones. A user file with a built-in's
/// name takes its place. `find` also takes a path to a file anywhere.
public struct WorkflowCatalog: Sendable {
    public struct Entry: Sendable {
        public let definition: WorkflowDefinition
        /// The YAML it was read from.
        public let yaml: String
        /// "built-in" or the file's path.
        public let source: String
        public var name: String { definition.name }
    }

    /// A user file that could not be read, for `workflow list` to show instead of failing.
    public struct Problem: Sendable {
        public let path: String
        public let message: String
    }

    public let directories: [String]
    let executor: WorkflowExecutor

    public init(directories: [String]) {
        self.directories = directories
        self.executor = WorkflowExecutor(registry: WorkflowActions.registry(WorkflowEnvironment()))
    }

    /// `./workflows` and `$GPT_TRADER_HOME/workflows` (default `~/.gpt-trader/workflows`).
    public static func standard() -> WorkflowCatalog { standard(environment: ProcessInfo.processInfo.environment) }

    public static func standard(environment: [String: String]) -> WorkflowCatalog {
        WorkflowCatalog(directories: ["workflows", DatabaseLocation.home(environment: environment) + "/workflows"])
    }

    /// Every workflow, user files first (sorted by name within each directory), then built-ins
    /// not shadowed by one; and the files that could not be read.
    public func all() -> (entries: [Entry], problems: [Problem]) {
        var entries: [Entry] = []
        var problems: [Problem] = []
        var names = Set<String>()
        for path in userFiles() {
            do {
                let entry = try load(path)
                if names.insert(entry.name).inserted { entries.append(entry) }
            } catch {
                problems.append(Problem(path: path, message: error.message))
            }
        }
        for (name, yaml) in BuiltinWorkflows.all where !names.contains(name) { entries.append(builtin(name, yaml)) }
        return (entries, problems)
    }

    /// The workflow `nameOrPath` names: a file path (with `/` or ending in .yaml/.yml) or a name.
    public func find(_ nameOrPath: String) throws(AppError) -> Entry {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try load(nameOrPath)
        }
        // User files first (a file may replace a built-in); a built-in is read only when it is the
        // one asked for, so running one does not parse all seven.
        var problems: [Problem] = []
        for path in userFiles() {
            do {
                let entry = try load(path)
                if entry.name == nameOrPath { return entry }
            } catch {
                problems.append(Problem(path: path, message: error.message))
            }
        }
        if let (name, yaml) = BuiltinWorkflows.all.first(where: { $0.name == nameOrPath }) { return builtin(name, yaml) }
        let entries = all().entries
        let broken = problems.map { "\n  \($0.path): \($0.message)" }.joined()
        throw .usage("no workflow named '\(nameOrPath)'; known: \(entries.map(\.name).joined(separator: ", "))"
            + (broken.isEmpty ? "" : "\nfiles that could not be read:\(broken)"))
    }

    /// A built-in workflow. They are checked by the tests; one that fails to load is a bug worth
    /// stopping on.
    func builtin(_ name: String, _ yaml: String) -> Entry {
        Entry(definition: try! WorkflowFile.load(yaml, file: "built-in \(name)", executor: executor), yaml: yaml, source: "built-in")
    }

    /// Reads and checks one workflow file.
    public func load(_ path: String) throws(AppError) -> Entry {
        let text: String
        do { text = try YAMLFile.read(path) } catch { throw .usage("cannot read workflow file \(error)") }
        do {
            return Entry(definition: try WorkflowFile.load(text, file: path, executor: executor), yaml: text, source: path)
        } catch {
            throw .usage(error.description)
        }
    }

    func userFiles() -> [String] {
        var out: [String] = []
        for dir in directories {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            out += names.sorted().map { "\(dir)/\($0)" }
        }
        return out
    }
}
