import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn: stdout and stderr are captured by reader threads, stdin
/// is a pipe (or /dev/null), and a reaper thread records the exit status. `kill()` runs on deinit, so a
/// test never leaves a process behind. All descriptors are close-on-exec, so concurrent tests never
/// inherit each other's pipes.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let commandLine: String
    private let stdout = Locked<[UInt8]>([])
    private let stderr = Locked<[UInt8]>([])
    private let openPipes = Locked(2)
    private let waitStatus = Locked<Int32?>(nil)
    private let stdinFD = Locked<Int32>(-1)

    /// `executable` without a slash is looked up in PATH.
    public init(_ executable: String, _ arguments: [String], pipeStdin: Bool = false) throws {
        ignoreSIGPIPE()
        self.commandLine = ([executable] + arguments).joined(separator: " ")
        // pipe2 is not imported; pipe + FD_CLOEXEC under one lock with the spawn, so no concurrent
        // spawn from this harness inherits another child's pipe ends.
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [-1, -1]
        guard Self.cloexecPipe(&outPipe), Self.cloexecPipe(&errPipe), !pipeStdin || Self.cloexecPipe(&inPipe) else {
            throw HarnessError("pipe failed: errno \(errno)")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipeStdin {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = executable.contains("/")
            ? posix_spawn(&child, executable, &actions, &attr, argv, environ)
            : posix_spawnp(&child, executable, &actions, &attr, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        if pipeStdin { close(inPipe[0]) }
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            if pipeStdin { close(inPipe[1]) }
            throw HarnessError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        self.pid = child
        self.stdinFD.withLock { $0 = inPipe[1] }
        Self.startReader(fd: outPipe[0], into: self.stdout, openPipes: self.openPipes)
        Self.startReader(fd: errPipe[0], into: self.stderr, openPipes: self.openPipes)
        let status = self.waitStatus
        let spawned = child
        Thread {
            var raw: Int32 = 0
            while waitpid(spawned, &raw, 0) < 0 && errno == EINTR {}
            status.withLock { $0 = raw }
        }.start()
    }

    private static let spawnLock = NSLock()

    private static func cloexecPipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private static func startReader(fd: Int32, into buffer: Locked<[UInt8]>, openPipes: Locked<Int>) {
        Thread {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    buffer.withLock { $0.append(contentsOf: chunk[0..<n]) }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(fd)
            openPipes.withLock { $0 -= 1 }
        }.start()
    }

    // MARK: Output

    public var stdoutBytes: [UInt8] { self.stdout.value }
    public var stdoutText: String { String(decoding: self.stdout.value, as: UTF8.self) }
    public var stderrText: String { String(decoding: self.stderr.value, as: UTF8.self) }
    /// True once both output pipes reached end of file.
    public var outputClosed: Bool { self.openPipes.value == 0 }

    // MARK: Input

    public func write(_ bytes: [UInt8]) throws {
        let fd = self.stdinFD.value
        guard fd >= 0 else { throw HarnessError("stdin of \(self.commandLine) is not open") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HarnessError("write to \(self.commandLine) failed: errno \(errno)")
            }
            offset += n
        }
    }

    public func write(_ text: String) throws { try self.write(Array(text.utf8)) }

    public func closeStdin() {
        self.stdinFD.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    // MARK: Lifecycle

    public var hasExited: Bool { self.waitStatus.value != nil }

    /// Exit code, or 128 + signal number for a process killed by a signal; nil while running.
    public var exitCode: Int32? {
        guard let raw = self.waitStatus.value else { return nil }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    public func signal(_ sig: Int32) {
        if !self.hasExited { Glibc.kill(self.pid, sig) }
    }

    /// Waits for exit and end of output; throws (and kills the process) when `within` seconds pass.
    @discardableResult
    public func waitForExit(within seconds: Double, file: StaticString = #filePath, line: UInt = #line) async throws -> Int32 {
        do {
            try await eventually(within: seconds, poll: 0.01, "exit of \(self.commandLine)", file: file, line: line) {
                self.hasExited && self.outputClosed
            }
        } catch {
            self.kill()
            throw error
        }
        return self.exitCode ?? -1
    }

    /// SIGKILL if still running, then wait (bounded) for the reaper.
    public func kill() {
        self.closeStdin()
        guard !self.hasExited else { return }
        Glibc.kill(self.pid, SIGKILL)
        let deadline = Deadline(seconds: 5)
        while !self.hasExited && !deadline.hasPassed { usleep(2000) }
    }

    deinit { self.kill() }

    /// Runs a command to completion with a deadline.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: [UInt8]? = nil, within seconds: Double = 20,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> (exitCode: Int32, stdout: [UInt8], stderr: String) {
        let child = try ChildProcess(executable, arguments, pipeStdin: stdin != nil)
        if let stdin {
            try? child.write(stdin)
            child.closeStdin()
        }
        let code = try await child.waitForExit(within: seconds, file: file, line: line)
        return (code, child.stdoutBytes, child.stderrText)
    }
}
