import Testing
import TraderCore
import TraderData

@Suite("Synthetic bar generator")
struct SyntheticBarGeneratorTests {
    @Test func chunksEqualWholeGeneration() throws {
        for (timeframe, bars) in [(Timeframe.day1, 5_003), (.minute1, 20_000), (.hour4, 7_777)] {
            // A weekend start exercises the daily calendar across chunk edges.
            let start = Timestamp(year: 2001, month: 6, day: 2, hour: 14)
            let whole = try SyntheticBars.generate(symbol: "G", bars: bars, seed: 77, start: start, timeframe: timeframe, startPrice: 42)
            for sizes in [[1, 2, 3], [1_000], [4_096, 1], [bars]] {
                var generator = try SyntheticBarGenerator(symbol: "G", seed: 77, start: start, timeframe: timeframe, startPrice: 42)
                var chunks: [BarSeries] = []
                var k = 0
                while generator.generated < bars {
                    let n = min(sizes[k % sizes.count], bars - generator.generated)
                    chunks.append(try generator.next(n))
                    k += 1
                }
                #expect(chunks.allSatisfy { $0.symbol == "G" && $0.timeframe == timeframe })
                #expect(sameBits(concatenate(chunks, symbol: "G", timeframe: timeframe), whole), "\(timeframe) \(sizes)")
            }
        }
    }

    /// Every generated bar obeys the bar invariant (`Bar.violation`: open and close within
    /// [low, high] included), in every regime the chain visits and at every timeframe.
    @Test func everyBarObeysTheBarInvariant() throws {
        for (timeframe, seed) in [(Timeframe.minute1, UInt64(1)), (.hour1, 2), (.day1, 3)] {
            let bars = try SyntheticBars.generate(symbol: "INV", bars: 60_000, seed: seed, timeframe: timeframe)
            var violations = 0
            for i in 0..<bars.count where Bar.violation(open: bars.open[i], high: bars.high[i], low: bars.low[i],
                                                        close: bars.close[i], volume: bars.volume[i]) != nil {
                violations += 1
            }
            #expect(violations == 0, "\(timeframe)")
        }
    }

    @Test func emptyChunksChangeNothing() throws {
        var a = try SyntheticBarGenerator(symbol: "E", seed: 1)
        var b = try SyntheticBarGenerator(symbol: "E", seed: 1)
        #expect(try a.next(0).isEmpty)
        #expect(sameBits(try a.next(10), try b.next(10)))
    }

    @Test func runningPastTheEndOfTimeThrowsAndKeepsTheState() throws {
        var generator = try SyntheticBarGenerator(symbol: "T", seed: 1, timeframe: .week1)
        let first = try generator.next(100)
        #expect(throws: DomainError.self) { try generator.validate(bars: 100_000) }
        #expect(throws: DomainError.self) { try generator.next(100_000) }
        #expect(throws: DomainError.self) { try generator.next(-1) }
        let next = try generator.next(100)
        let whole = try SyntheticBars.generate(symbol: "T", bars: 200, seed: 1, timeframe: .week1)
        #expect(sameBits(concatenate([first, next], symbol: "T", timeframe: .week1), whole))
        #expect(throws: DomainError.self) { try SyntheticBarGenerator(symbol: "T", seed: 1, startPrice: -1) }
    }
}
