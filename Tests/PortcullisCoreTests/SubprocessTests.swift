import Foundation
import PortcullisCore
import Testing

/// `Subprocess.run`: no shell, exact environment, capped output, and a killed process group at the deadline.
@Suite struct SubprocessTests {
    @Test func exitStatusAndBothStreamsComeBack() throws {
        let result = try Subprocess.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], environment: [:], timeout: 10)
        #expect(result.exitStatus == 3 && result.signal == nil && !result.succeeded)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "out\n")
        #expect(result.errorText() == "err")
        #expect(result.termination == "exited with status 3")
    }

    /// Arguments reach the program as they are: a `;` or `$(…)` is not interpreted by any shell.
    @Test func argumentsAreNotParsedByAShell() throws {
        let tricky = "a; touch /tmp/portcullis-subprocess-$$ $(id)"
        let result = try Subprocess.run(["printf", "%s", tricky], environment: ["PATH": "/usr/bin:/bin"], timeout: 10)
        #expect(result.succeeded)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == tricky)
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let result = try Subprocess.run(["/usr/bin/env"], environment: ["ONLY": "this"], timeout: 10)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "ONLY=this\n")
    }

    /// Output past the cap is read and dropped: the child is not blocked on a full pipe and exits 0.
    @Test func outputIsCappedWithoutBlockingTheChild() throws {
        let script = "head -c 1000000 /dev/zero; head -c 300000 /dev/zero >&2"
        let result = try Subprocess.run(["/bin/sh", "-c", script], environment: [:], timeout: 20, outputLimit: 4096)
        #expect(result.succeeded)
        #expect(result.standardOutput.count == 4096 && result.standardError.count == 4096)
    }

    /// At the deadline the whole group dies: the shell and the sleep it started.
    @Test func aChildPastTheDeadlineIsKilledWithItsGroup() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)").path
        let started = Date()
        #expect(throws: SubprocessError.timedOut(program: "/bin/sh", seconds: 0.5)) {
            try Subprocess.run(["/bin/sh", "-c", "sleep 30 & echo $! > \(marker); wait"], environment: [:], timeout: 0.5)
        }
        #expect(Date().timeIntervalSince(started) < 10)
        let grandchild = try #require(Int32(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        try? FileManager.default.removeItem(atPath: marker)
        try eventually { Self.isGoneOrZombie(grandchild) }
    }

    /// A child that exits while a background grandchild still holds its stdout returns at once.
    @Test func anExitedChildIsNotHeldByAGrandchildHoldingItsPipes() throws {
        let started = Date()
        let result = try Subprocess.run(["/bin/sh", "-c", "sleep 3 & echo done"], environment: [:], timeout: 30)
        #expect(result.succeeded && String(decoding: result.standardOutput, as: UTF8.self) == "done\n")
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func aMissingProgramIsASpawnError() {
        #expect(throws: SubprocessError.spawnFailed(program: "/nonexistent/hook", errno: ENOENT)) {
            try Subprocess.run(["/nonexistent/hook"], environment: [:], timeout: 5)
        }
        let error = SubprocessError.spawnFailed(program: "/nonexistent/hook", errno: ENOENT)
        #expect(error.description == "could not start /nonexistent/hook: No such file or directory")
    }

    /// True once `pid` no longer runs (a killed orphan may stay a zombie until init reaps it).
    private static func isGoneOrZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    /// Polls `condition` until it holds, for at most 5 s.
    private func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(5)
        while !condition() {
            guard Date() < deadline else {
                Issue.record("condition not met within 5 s", sourceLocation: sourceLocation)
                return
            }
            usleep(10_000)
        }
    }
}
