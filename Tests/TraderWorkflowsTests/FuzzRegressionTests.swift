import Foundation
import Testing
import TraderCore
import TraderYAML
@testable import TraderWorkflows

/// Inputs the fuzz targets found (docs/fuzzing.md), fed exactly as found: each now ends in a
/// clean error. The inputs are also seeds of the fuzz corpus (Fuzz/corpus/TARGET/found-*).
@Suite struct WorkflowFuzzRegressionTests {
    /// cli target, input `AjFlMzAw` ("\u{2}1e300"): `DurationText.parse("1e300")` trapped turning
    /// 10^303 milliseconds into an Int64.
    @Test func hugeDurationsAreRefused() {
        #expect(DurationText.parse("1e300") == nil)
        for text in ["9999999999999999d", "366d", "1e20ms", "0x1p3s", "infs", "nan"] { #expect(DurationText.parse(text) == nil, "\(text)") }
        #expect(DurationText.parse("365d") == .seconds(365 * 86_400))
        #expect(DurationText.parse(" 1.5s ") == .milliseconds(1500))
    }

    /// workflow target, input crash-ec2e83974262: a tab in the workflow's name went into the error
    /// line as a raw control character.
    @Test func quotedTextIsEscaped() throws {
        let input = Data(base64Encoded: "bmFtZTogcmVhbC10aW1lLW1vCWl0b3JpbmcKZGVzY3JpcHRpb246IENoZWNrcyB0aGUgZGF0YSBmZWVkcyBhbmQgO2hlIGxhdGVzdCBydW5zOyBzY2hlZHVsZWQgZXZlcnkgZml2ZSBtaW51dGVzLgpwYXJhbWV0ZXJzOgogIHN5bWJvbHM6ICJHT09HLEVVUlVTRCIKICBtYXhfYWdlX2RheXM6IH4gICAgICAgIyBub25lOiBjb25maWcgbW9uaXRvci5tYXhfZGF0YV9hZ2VfZGF5cyAoNSkKICBtYXhfZHJhd2Rvd24lcGN0OiB+ICAgIyBub25lOiBjb25maWcgbW9uaXRvci5tYXhfZHJhd2Rvd25fcGN0ICgyNSkKc2NoZWR1bGU6IHsgZXZlcnk6IDVtIH0Kc3RlcHM6CiAgLSBpZDogZmVFZHMKICAgIGFjdGlvbjogbW9uaXRvci5kYXRhCiAgICBwYXJhbWV0ZXJzOiB7IHN5bWJvbHM6ICIke3N5bWJvbHN9IiwgbWF4X2FnZV9kYXlzOiAiJHttYXhfYWdlX30iIH0KICAtIGlkOiByZXBvcnQKICAgIGFjdGlvbjogcmVwb3J0LndyaXRlCiAgICBkZXBlbmRzX29uOiBbZmVlZHMsIHJ1bnNdCiAgICB0cmlnZ2VyOiBhbGxfZG9uZQo=")!
        let error = #expect(throws: YAMLError.self) { try WorkflowFile.parse(String(decoding: input, as: UTF8.self), file: "found.yaml") }
        #expect(error?.description == "found.yaml:1:7: name must be letters, digits, '-' or '_', got 'real-time-mo\\titoring'")
        // Whatever a message quotes, the line stays one plain line of bounded length.
        let long = "name: x\nsteps:\n  - id: a\n    action: echo\n    \"\(String(repeating: "k\\n", count: 50_000))\": 1\n"
        let longError = #expect(throws: YAMLError.self) { try WorkflowFile.parse(long, file: "long.yaml") }
        #expect(longError.map { DisplayText.isPlainLine($0.description) } == true && (longError?.description.count ?? .max) < 400)
    }
}
