import Glibc

/// How a child run by `Subprocess.run` ended, and what it printed (each stream capped).
public struct SubprocessResult: Sendable {
    /// The exit status, or nil when a signal ended it.
    public let exitStatus: Int32?
    /// The signal that ended it, if one did.
    public let signal: Int32?
    /// Standard output, at most `outputLimit` bytes (the rest was read and dropped).
    public let standardOutput: [UInt8]
    /// Standard error, at most `outputLimit` bytes.
    public let standardError: [UInt8]

    /// True for exit status 0.
    public var succeeded: Bool { self.exitStatus == 0 }

    /// "exited with status 3" / "was killed by signal 9".
    public var termination: String {
        if let exitStatus { return "exited with status \(exitStatus)" }
        return "was killed by signal \(self.signal ?? 0)"
    }

    /// Standard error as text, trimmed and cut to `limit` characters (for one log or error line).
    public func errorText(limit: Int = 300) -> String {
        let text = String(decoding: self.standardError, as: UTF8.self)
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        return String(trimmed.prefix(limit))
    }
}

/// A child that could not be started or did not finish in time.
public enum SubprocessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// posix_spawn (or the pipes before it) failed; `errno` says why (ENOENT, EACCES, …).
    case spawnFailed(program: String, errno: Int32)
    /// Still running at the deadline; the whole process group was sent SIGKILL.
    case timedOut(program: String, seconds: Double)

    public var description: String {
        switch self {
        case .spawnFailed(let program, let code):
            return "could not start \(program): \(String(cString: strerror(code)))"
        case .timedOut(let program, let seconds):
            return "\(program) did not finish within \(Self.format(seconds)) s and was killed"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
