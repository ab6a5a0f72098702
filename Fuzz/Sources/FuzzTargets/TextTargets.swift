import TraderApp
import TraderCore
import TraderWorkflows
@testable import TraderYAML

extension FuzzTarget {
    /// The YAML layer: a document within `YAMLLimits` or one located error. A parsed document
    /// must be no deeper than the limit and its JSON must read back through the JSON parser.
    static let yaml = FuzzTarget(name: "yaml", summary: "YAMLNode.parse: limits, located errors, JSON of the result") { data in
        guard let text = String(validating: data, as: UTF8.self) else { return }   // YAMLFile refuses non-UTF-8
        do throws(YAMLError) {
            let root = try YAMLNode.parse(text, file: "fuzz.yaml")
            Check.require(root.depth <= YAMLLimits.standard.maxDepth + 1, "a document \(root.depth) levels deep was accepted")
            let json = root.json
            let printed = json.serialized(indent: nil)
            do {
                let back = try JSONValue(parsing: printed)
                Check.require(back.serialized(indent: nil) == printed, "YAML's JSON does not read back the same: \(DisplayText.quote(printed))")
            } catch {
                Check.require(false, "YAML's JSON is not JSON: \(error)")
            }
        } catch {
            Check.require(error.file == "fuzz.yaml" && error.line >= 1 && error.column >= 1, "YAML error not located: \(error)")
            Check.oneLine(error.description, "YAML")
        }
    }

    /// Workflow files as `workflow run FILE.yaml` loads them (parse, then the graph checked
    /// against the app's actions).
    static let workflow = FuzzTarget(name: "workflow", summary: "WorkflowFile.load with the app's actions: a workflow or a located error") { data in
        guard let text = String(validating: data, as: UTF8.self) else { return }
        do throws(YAMLError) {
            let workflow = try WorkflowFile.load(text, file: "fuzz.yaml", executor: FuzzFixtures.executor)
            Check.require(!workflow.steps.isEmpty, "a workflow without steps was accepted")
        } catch {
            Check.require(error.file == "fuzz.yaml", "workflow error not located: \(error)")
            Check.oneLine(error.description, "workflow")
        }
    }

    /// Configuration files as `--config FILE` and `config validate` read them, and `config set`'s
    /// edit of an existing file.
    static let config = FuzzTarget(name: "config", summary: "AppConfiguration.parsing and ConfigFileEditor.setting: settings or a located error") { data in
        guard let text = String(validating: data, as: UTF8.self) else { return }
        do throws(AppError) {
            _ = try AppConfiguration.parsing(text, file: "fuzz.yaml")
        } catch {
            Check.require(error.message.hasPrefix("fuzz.yaml:"), "config error not located: \(error.message)")
            Check.oneLine(error.message, "config")
        }
        let key = ConfigSchema.keys[text.utf8.count % ConfigSchema.keys.count]
        if let edited = try? ConfigFileEditor.setting(key, to: key.defaultValue, in: text) {
            _ = try? AppConfiguration.parsing(edited, file: "fuzz.yaml")
        }
    }

    /// The JSON parser (stored runs, the status API): a value or an error at a byte offset.
    /// Printing a parsed value and parsing it again must give the same text (twice, so number
    /// forms settle: `1.0` prints as `1`, which reads back as an integer).
    static let json = FuzzTarget(name: "json", summary: "JSONValue(parsing:): round trip of what parses, one-line errors") { data in
        let text = String(decoding: data, as: UTF8.self)
        let value: JSONValue
        do throws(JSONValue.ParseError) { value = try JSONValue(parsing: text) } catch {
            Check.oneLine(error.description, "JSON")
            return
        }
        for indent in [nil, 2] as [Int?] {
            let once = value.serialized(indent: indent)
            let again = (try? JSONValue(parsing: once))?.serialized(indent: indent)
            Check.require(once == again, "JSON round trip differs: \(DisplayText.quote(once)) then \(DisplayText.quote(again ?? "an error"))")
        }
    }
}

enum FuzzFixtures {
    /// The executor `WorkflowCatalog` validates with: every action the app registers.
    static let executor = WorkflowExecutor(registry: WorkflowActions.registry(WorkflowEnvironment()))
}

extension YAMLNode {
    /// Levels of collections (a scalar is 1).
    var depth: Int {
        switch kind {
        case .scalar: 1
        case .sequence(let items): 1 + (items.map(\.depth).max() ?? 0)
        case .mapping(let pairs): 1 + (pairs.map(\.value.depth).max() ?? 0)
        }
    }
}
