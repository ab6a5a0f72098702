import TraderCore

/// Where two bar lists first differ (nil when equal), short enough to read in a failed expectation.
public func barDifference(_ got: [Bar], _ want: [Bar]) -> String? {
    guard got.count == want.count else { return "\(got.count) bars, want \(want.count)" }
    guard let i = got.indices.first(where: { got[$0] != want[$0] }) else { return nil }
    return "bar \(i): \(got[i]), want \(want[i])"
}
