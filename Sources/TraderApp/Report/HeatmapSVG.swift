import Foundation
import TraderData

/// A heat map of a score over two parameters, as a standalone SVG a browser opens: one cell per
/// (x, y) pair colored on a blue-to-yellow scale, grey where no score exists, with axis labels,
/// the value in each cell when it fits, and a legend.
public struct HeatmapSVG: Sendable {
    public var title: String
    public var xName: String
    public var yName: String
    public var xValues: [Double]
    public var yValues: [Double]
    /// Score per (x, y); missing pairs are drawn grey.
    public var scores: [Pair: Double]

    public struct Pair: Hashable, Sendable {
        public let x: Double, y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    public init(title: String, xName: String, yName: String, xValues: [Double], yValues: [Double], scores: [Pair: Double]) {
        self.title = title
        self.xName = xName
        self.yName = yName
        self.xValues = xValues
        self.yValues = yValues
        self.scores = scores
    }

    /// The SVG document.
    public func render() -> String {
        let cell = 44.0, left = 80.0, top = 50.0, legendWidth = 90.0
        let width = left + cell * Double(xValues.count) + legendWidth + 20
        let height = top + cell * Double(yValues.count) + 60
        let finite = scores.values.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        func color(_ v: Double) -> String {
            let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
            // Blue (low) → teal → yellow (high), a perceptually ordered scale.
            let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
            let p = t * Double(stops.count - 1)
            let i = min(Int(p), stops.count - 2), f = p - Double(i)
            let (a, b) = (stops[i], stops[i + 1])
            func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
            return "rgb(\(mix(a.0, b.0)),\(mix(a.1, b.1)),\(mix(a.2, b.2)))"
        }
        func label(_ v: Double) -> String { v.rounded() == v && abs(v) < 1e12 ? String(Int(v)) : String(format: "%.4g", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="24" font-size="15" font-weight="bold">\(esc(title))</text>

        """
        for (yi, y) in yValues.enumerated() {
            let py = top + cell * Double(yValues.count - 1 - yi)  // larger y upwards
            svg += "<text x=\"\(left - 8)\" y=\"\(py + cell / 2 + 4)\" text-anchor=\"end\">\(label(y))</text>\n"
            for (xi, x) in xValues.enumerated() {
                let px = left + cell * Double(xi)
                let v = scores[Pair(x: x, y: y)]
                let fill = v.map { $0.isFinite ? color($0) : "#ddd" } ?? "#eee"
                svg += "<rect x=\"\(px)\" y=\"\(py)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"\(fill)\">"
                svg += "<title>\(esc(xName))=\(label(x)), \(esc(yName))=\(label(y)): \(v.map { String(format: "%.4f", $0) } ?? "n/a")</title></rect>\n"
                if let v, v.isFinite {
                    let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
                    svg += "<text x=\"\(px + cell / 2)\" y=\"\(py + cell / 2 + 4)\" text-anchor=\"middle\" font-size=\"9\" fill=\"\(t > 0.6 ? "black" : "white")\">\(String(format: "%.2f", v))</text>\n"
                }
            }
        }
        let bottom = top + cell * Double(yValues.count)
        for (xi, x) in xValues.enumerated() {
            svg += "<text x=\"\(left + cell * Double(xi) + cell / 2)\" y=\"\(bottom + 16)\" text-anchor=\"middle\">\(label(x))</text>\n"
        }
        svg += "<text x=\"\(left + cell * Double(xValues.count) / 2)\" y=\"\(bottom + 40)\" text-anchor=\"middle\" font-weight=\"bold\">\(esc(xName))</text>\n"
        svg += "<text x=\"20\" y=\"\(top + cell * Double(yValues.count) / 2)\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 20 \(top + cell * Double(yValues.count) / 2))\">\(esc(yName))</text>\n"
        // Legend: a vertical gradient from low to high.
        let lx = left + cell * Double(xValues.count) + 24, lh = min(200.0, cell * Double(yValues.count))
        svg += "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for k in 0...4 { svg += "<stop offset=\"\(Double(k) / 4)\" stop-color=\"\(color(lo + (hi - lo) * Double(k) / 4))\"/>" }
        svg += "</linearGradient></defs>\n"
        svg += "<rect x=\"\(lx)\" y=\"\(top)\" width=\"16\" height=\"\(lh)\" fill=\"url(#scale)\"/>\n"
        svg += "<text x=\"\(lx + 22)\" y=\"\(top + 8)\">\(String(format: "%.3f", hi))</text>\n"
        svg += "<text x=\"\(lx + 22)\" y=\"\(top + lh)\">\(String(format: "%.3f", lo))</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// Writes the SVG atomically (whole file or nothing).
    public func write(to path: String) throws(AppError) {
        do { try AtomicWrite.write(render(), to: path) } catch { throw AppError(error, context: "heat map") }
    }
}
