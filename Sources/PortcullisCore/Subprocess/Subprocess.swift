import Glibc

/// Runs a program without a shell: `posix_spawnp` with an explicit argv and environment, stdin from
/// /dev/null, stdout and stderr captured through pipes and capped, and the child's whole process group
/// killed at the deadline. Blocking: call it from a background thread, never from an event loop.
public enum Subprocess {
    /// Runs `argv` (argv[0] is looked up in PATH) with exactly `environment`, waiting at most `timeout`
    /// seconds. Each output stream keeps its first `outputLimit` bytes; the rest is read and dropped, so
    /// a chatty child never blocks on a full pipe.
    public static func run(
        _ argv: [String], environment: [String: String], timeout: Double, outputLimit: Int = 64 * 1024
    ) throws(SubprocessError) -> SubprocessResult {
        precondition(!argv.isEmpty, "Subprocess.run needs a program")
        let program = argv[0]
        var pipes = try SubprocessPipes(program: program)
        let pid: pid_t
        do { pid = try Self.spawn(argv, environment: environment, pipes: pipes) } catch {
            pipes.closeChildEnds()
            pipes.closeParentEnds()
            throw error
        }
        pipes.closeChildEnds()
        let deadline = Self.monotonicNow() + timeout
        var output = SubprocessOutput(limit: outputLimit)
        guard let status = Self.wait(pid, draining: &pipes, into: &output, until: deadline) else {
            kill(-pid, SIGKILL)  // the group: a shell's children go too
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)  // SIGKILL cannot be caught: this returns at once
            pipes.closeParentEnds()
            throw .timedOut(program: program, seconds: timeout)
        }
        pipes.closeParentEnds()
        let signal = status & 0x7f
        return SubprocessResult(
            exitStatus: signal == 0 ? (status >> 8) & 0xff : nil, signal: signal == 0 ? nil : signal,
            standardOutput: output.standardOutput, standardError: output.standardError)
    }

    /// posix_spawnp into a new process group with default signal handling (the proxy ignores SIGPIPE,
    /// and ignored signals survive exec).
    private static func spawn(
        _ argv: [String], environment: [String: String], pipes: SubprocessPipes
    ) throws(SubprocessError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes.output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.error.write, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let arguments = CStringArray(argv)
        let variables = CStringArray(environment.map { $0.key + "=" + $0.value })
        var pid: pid_t = 0
        var code = posix_spawnp(&pid, argv[0], &actions, &attributes, arguments.pointers, variables.pointers)
        // ETXTBSY: a script just written is still open for writing in a child that another thread is
        // spawning (the fd lives until that child's exec). It clears within milliseconds; retry briefly.
        var attempt = 0
        while code == ETXTBSY && attempt < 20 {
            attempt += 1
            usleep(UInt32(5_000 * attempt))
            code = posix_spawnp(&pid, argv[0], &actions, &attributes, arguments.pointers, variables.pointers)
        }
        guard code == 0 else { throw .spawnFailed(program: argv[0], errno: code) }
        return pid
    }

    /// Reads the pipes until the child has exited and they are at EOF; nil if `deadline` passes first.
    /// A grandchild that keeps the pipes open does not hold us: once the child is reaped, one last
    /// read takes what is already there.
    private static func wait(
        _ pid: pid_t, draining pipes: inout SubprocessPipes, into output: inout SubprocessOutput, until deadline: Double
    ) -> Int32? {
        var status: Int32 = 0
        var exited = false
        while true {
            let closed = output.pump(&pipes, waitMilliseconds: exited ? 0 : 50)
            if exited { return status }
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno != EINTR && errno != EAGAIN) {
                if closed { return status }
                exited = true
                continue
            }
            if Self.monotonicNow() >= deadline { return nil }
        }
    }

    /// Seconds on CLOCK_MONOTONIC.
    static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// NUL-terminated copies of Swift strings for the length of one call.
private final class CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) { self.pointers = strings.map { strdup($0) } + [nil] }

    deinit { for pointer in self.pointers { free(pointer) } }
}
