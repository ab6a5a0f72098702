import Testing
@testable import TraderCache

@Suite struct CacheKeyTests {
    @Test func keysCarryNamespaceAndVersion() throws {
        let key = try CacheKey(namespace: "bars", version: 2, parts: ["GOOG", "1d", "2004-08-19"])
        #expect(key.description == "bars:v2:GOOG:1d:2004-08-19")
        #expect(key.description.hasPrefix(key.namespacePrefix))
        #expect(try CacheKey(namespace: "bars", version: 3, parts: ["GOOG"]).description != (try CacheKey(namespace: "bars", version: 2, parts: ["GOOG"])).description)
        #expect(throws: CacheKeyError(field: "part", reason: "'a:b' contains ':'")) { try CacheKey(namespace: "x", version: 1, parts: ["a:b"]) }
        #expect(throws: CacheKeyError(field: "namespace", reason: "must not be empty")) { try CacheKey(namespace: "", version: 1, parts: []) }
    }
}
