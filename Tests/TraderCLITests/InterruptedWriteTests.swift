import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Interrupted writes leave nothing: `data generate` ended by SIGINT, SIGTERM or SIGHUP removes
/// its temporary file and exits with 128 + the signal; what SIGKILL leaves is removed by the next
/// writer or `data list`, which say so.
extension CLIProcessTests {
    /// Starts `data generate` of far more bars than it can write before the test is done, with
    /// the signals a shell would give it, and waits (polling, up to a minute) until its temporary
    /// file is in `store`; returns the process and the temporary file's name.
    func startLongGenerate(into store: String) throws -> (Subprocess.Running, String) {
        let running = try Subprocess.start(Self.executable.path,
                                           ["data", "generate", "--symbol", "BIG", "--bars", "100000000", "--store", store],
                                           environment: Self.environment(), directory: Self.root.path, resetSignals: true)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let name = temporaries(in: store).first { return (running, name) }
            var status: Int32 = 0
            if waitpid(running.pid, &status, WNOHANG) == running.pid {
                Issue.record("data generate ended before writing (status \(status))")
                throw CancellationError()
            }
            usleep(10_000)  // between polls
        }
        running.signal(SIGKILL)
        _ = running.wait()
        Issue.record("no temporary file appeared in \(store) within a minute")
        throw CancellationError()
    }

    /// The temporary files (`NAME.tmp-PID-RANDOM`) in `directory`.
    func temporaries(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.contains(".tmp-") }.sorted()
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func generateStoppedBySignalRemovesItsTemporaryFile(_ sig: Int32) throws {
        let store = try storeDirectory()
        let (running, name) = try startLongGenerate(into: store)
        #expect(name.hasPrefix("BIG_1m.gtbars.tmp-\(running.pid)-"))
        running.signal(sig)
        let r = running.wait()
        #expect(!r.signaled, "ended by the signal's default action: \(r.stderr)")
        #expect(r.status == 128 + sig)
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrace"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: store) == [], "left behind")
    }

    @Test func aKilledWritersTemporaryIsRemovedByTheNextWriterAndDataList() throws {
        let store = try storeDirectory()
        // SIGKILL: nothing in the process can react; its file stays until someone looks.
        var (running, name) = try startLongGenerate(into: store)
        running.signal(SIGKILL)
        #expect(running.wait().status == 128 + SIGKILL)
        #expect(temporaries(in: store) == [name])
        let list = try run(["data", "list", "--store", store])
        #expect(list.status == 0, "\(list.stderr)")
        let said = try #require(list.stdout.split(separator: "\n").first)
        #expect(said.hasPrefix("removed 1 stale temporary file (") && said.hasSuffix(") left by process \(running.pid)"), "\(list.stdout)")
        #expect(temporaries(in: store) == [])

        // The next writer cleans up too, and says so (on stderr when its output is JSON).
        (running, name) = try startLongGenerate(into: store)
        running.signal(SIGKILL)
        _ = running.wait()
        let imported = try run(["data", "import", "data/sample/GOOG.csv", "--store", store, "--output", "json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.hasPrefix("note: removed 1 stale temporary file (") && imported.stderr.contains("left by process \(running.pid)"))
        #expect(temporaries(in: store) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store) == ["GOOG_1d.gtbars"])
    }

    /// A temporary is stale when its process is gone or no longer holds it open (the PID was
    /// reused); one a running process holds open is somebody's write in progress.
    @Test func onlyTemporariesNoRunningProcessHoldsAreStale() throws {
        let store = try storeDirectory()
        let held = store + "/A_1d.gtbars.tmp-\(getpid())-held1", loose = store + "/B_1d.gtbars.tmp-\(getpid())-loose1"
        let fd = open(held, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        try Data(repeating: 7, count: 1_000).write(to: URL(fileURLWithPath: loose))
        try Data().write(to: URL(fileURLWithPath: store + "/notes.tmp-keep"))  // not a writer's name
        let list = try run(["data", "list", "--store", store])
        #expect(list.stdout.hasPrefix("removed 1 stale temporary file (1000 bytes) left by process \(getpid())\n"), "\(list.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store).sorted() == ["A_1d.gtbars.tmp-\(getpid())-held1", "notes.tmp-keep"])
    }
}
