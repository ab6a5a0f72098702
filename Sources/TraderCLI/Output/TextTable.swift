/// A plain aligned text table: columns padded to their widest cell, numbers right-aligned.
/// Widths are computed on the text without color codes.
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []
    /// Optional per-cell coloring applied after padding.
    var paint: (_ row: Int, _ column: Int, _ text: String) -> String = { _, _, t in t }

    init(headers: [String], alignments: [Alignment]) {
        self.headers = headers
        self.alignments = alignments
    }

    func render(headerStyle: (String) -> String = { $0 }) -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func pad(_ s: String, _ i: Int) -> String {
            let fill = String(repeating: " ", count: max(0, widths[i] - s.count))
            return alignments[i] == .left ? s + fill : fill + s
        }
        var lines: [String] = []
        if !headers.allSatisfy(\.isEmpty) {
            lines.append(headerStyle(headers.indices.map { pad(headers[$0], $0) }.joined(separator: "  ")))
        }
        for (r, row) in rows.enumerated() {
            lines.append(row.indices.map { paint(r, $0, pad(row[$0], $0)) }.joined(separator: "  "))
        }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }
}
