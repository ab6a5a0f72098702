import Foundation
import Testing
import TraderCore
@testable import TraderLive

/// The venues' stream messages, from the examples in their documentation (Alpaca market data v2
/// real-time stream; Coinbase Advanced Trade WebSocket channels), and what bad ones give.
@Suite struct VenueMessageTests {
    @Test func alpacaFramesDecode() throws {
        let frame = """
            [{"T":"success","msg":"authenticated"},
             {"T":"subscription","trades":["AAPL"],"quotes":[],"bars":["SPY"]},
             {"T":"b","S":"SPY","o":388.985,"h":389.13,"l":388.975,"c":389.12,"v":49378,"t":"2021-02-22T19:15:00Z","n":461,"vw":389.062639},
             {"T":"t","S":"AAPL","i":52983525029461,"x":"V","p":145.82,"s":1,"c":["@"],"t":"2021-02-22T15:51:44.208Z","z":"C"},
             {"T":"q","S":"AAPL","bp":145.8}]
            """
        let messages = try AlpacaStreamMessage.decode(Data(frame.utf8))
        #expect(messages.count == 5)
        #expect(messages[0] == .success("authenticated"))
        #expect(messages[1] == .subscription(trades: ["AAPL"], quotes: [], bars: ["SPY"]))
        let t = Timestamp(year: 2021, month: 2, day: 22, hour: 19, minute: 15)
        #expect(messages[2] == .bar(symbol: "SPY", Bar(timestamp: t, open: 388.985, high: 389.13, low: 388.975, close: 389.12, volume: 49378)))
        #expect(messages[3] == .trade(symbol: "AAPL", id: 52983525029461, price: 145.82, size: 1,
                                      time: Timestamp(year: 2021, month: 2, day: 22, hour: 15, minute: 51, second: 44, nanosecond: 208_000_000)))
        #expect(messages[4] == .other("q"))
        #expect(try AlpacaStreamMessage.decode(Data(#"[{"T":"error","code":402,"msg":"auth failed"}]"#.utf8)) == [.error(code: 402, message: "auth failed")])
        #expect(String(decoding: AlpacaStreamMessage.subscribe(bars: ["SPY"]), as: UTF8.self) == #"{"action":"subscribe","bars":["SPY"],"trades":[]}"#)
    }

    @Test(arguments: [
        (#"{"T":"b"}"#, "alpaca: a frame must be a JSON array of objects"),
        (#"[{"T":"b","S":"SPY","o":1,"h":2,"l":0.5,"c":1.5,"v":10}]"#, "alpaca: [0].t is missing"),
        (#"[{"T":"b","S":"SPY","o":1,"h":2,"l":0.5,"c":1.5,"v":10,"t":"yesterday"}]"#, "alpaca: [0].t is not an RFC 3339 time: 'yesterday'"),
        (#"[{"T":"b","S":"SPY","o":3,"h":2,"l":0.5,"c":1.5,"v":10,"t":"2021-02-22T19:15:00Z"}]"#, "alpaca: [0]: open"),
        (#"[{"T":"t","S":"A","i":1,"p":-1,"s":1,"t":"2021-02-22T19:15:00Z"}]"#, "alpaca: [0].p must be positive, got -1.0"),
        (#"[{"T":"t","S":"A","i":1,"p":"0x10","s":1,"t":"2021-02-22T19:15:00Z"}]"#, "alpaca: [0].p is not a finite number"),
    ])
    func badAlpacaFramesNameTheField(frame: String, expected: String) {
        #expect {
            _ = try AlpacaStreamMessage.decode(Data(frame.utf8))
        } throws: { error in
            "\(error)".hasPrefix(expected) || "\(error)".contains(expected)
        }
    }

    @Test func coinbaseMessagesDecode() throws {
        let trades = """
            {"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z","sequence_num":0,
             "events":[{"type":"snapshot","trades":[{"trade_id":"000000000","product_id":"ETH-USD","price":"1260.01","size":"0.3",
               "side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]}
            """
        let m = try CoinbaseStreamMessage.decode(Data(trades.utf8))
        #expect(m.channel == "market_trades" && m.sequence == 0)
        #expect(m.events == [.trade(product: "ETH-USD", id: "000000000", price: 1260.01, size: 0.3, buy: true,
                                    time: Timestamp(year: 2019, month: 8, day: 14, hour: 20, minute: 42, second: 27, nanosecond: 265_000_000))])
        let candles = """
            {"channel":"candles","client_id":"","timestamp":"2023-06-09T20:19:35.39625135Z","sequence_num":7,
             "events":[{"type":"snapshot","candles":[{"start":"1688998200","high":"1867.72","low":"1865.63","open":"1867.38",
               "close":"1866.81","volume":"0.20269406","product_id":"ETH-USD"}]}]}
            """
        let c = try CoinbaseStreamMessage.decode(Data(candles.utf8))
        #expect(c.sequence == 7)
        #expect(c.events == [.candle(product: "ETH-USD", Bar(timestamp: Timestamp(nanos: 1_688_998_200 * Timestamp.nanosPerSecond), open: 1867.38,
                                                            high: 1867.72, low: 1865.63, close: 1866.81, volume: 0.20269406))])
        let beat = #"{"channel":"heartbeats","client_id":"","timestamp":"2023-06-23T20:31:26.122969572Z","sequence_num":9,"events":[{"current_time":"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105","heartbeat_counter":"3049"}]}"#
        #expect(try CoinbaseStreamMessage.decode(Data(beat.utf8)).events == [.heartbeat(counter: 3049)])
        #expect {
            _ = try CoinbaseStreamMessage.decode(Data(#"{"type":"error","message":"authentication failure"}"#.utf8))
        } throws: { "\($0)" == "coinbase: the server refused: authentication failure" }
        #expect {
            _ = try CoinbaseStreamMessage.decode(Data(#"{"channel":"market_trades","sequence_num":1,"events":[{"trades":[{"trade_id":"1","product_id":"X","price":"1","size":"1","side":"HOLD","time":"2019-08-14T20:42:27Z"}]}]}"#.utf8))
        } throws: { "\($0)".contains("events[0].trades[0].side must be BUY or SELL, got 'HOLD'") }
    }

    @Test func rfc3339TimesWithOffsetsAndFractions() {
        let base = Timestamp(year: 2021, month: 2, day: 22, hour: 19, minute: 15)
        #expect(RFC3339.parse("2021-02-22T19:15:00Z") == base)
        #expect(RFC3339.parse("2021-02-22T14:15:00-05:00") == base)
        #expect(RFC3339.parse("2021-02-22T19:15:00.39625135Z") == Timestamp(nanos: base.nanos + 396_251_350))
        #expect(RFC3339.parse("2021-02-22T19:15:00.123456789123Z") == Timestamp(nanos: base.nanos + 123_456_789), "beyond nanoseconds is cut")
        for bad in ["2021-02-22 19:15:00Z", "2021-13-22T19:15:00Z", "2021-02-22T19:15:00", "2021-02-22T19:15:00.Z", "2021-02-22T19:15:00Zjunk"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func barsAreBuiltFromTrades() throws {
        var builder = BarBuilder(timeframe: try Timeframe(parsing: "1m"))
        let t0 = Timestamp(year: 2024, month: 1, day: 2, hour: 9, minute: 30)
        func at(_ seconds: Int64) -> Timestamp { Timestamp(nanos: t0.nanos + seconds * Timestamp.nanosPerSecond) }
        #expect(builder.add(price: 100, size: 1, at: at(1)) == nil)
        #expect(builder.add(price: 102, size: 2, at: at(20)) == nil)
        #expect(builder.add(price: 99, size: 1, at: at(59)) == nil)
        // A trade of the next minute completes the first bar.
        let first = builder.add(price: 101, size: 5, at: at(61))
        #expect(first == Bar(timestamp: t0, open: 100, high: 102, low: 99, close: 99, volume: 4))
        // A late trade of the closed minute is counted and left out.
        #expect(builder.add(price: 150, size: 1, at: at(30)) == nil && builder.late == 1)
        // No trade for three minutes: the clock closes the open bar; empty minutes make none.
        #expect(builder.close(at: at(100)) == nil, "its minute is not over")
        let second = builder.close(at: at(240))
        #expect(second == Bar(timestamp: at(60), open: 101, high: 101, low: 101, close: 101, volume: 5))
        #expect(builder.close(at: at(300)) == nil)
        #expect(builder.add(price: 103, size: 1, at: at(245)) == nil)
    }
}
