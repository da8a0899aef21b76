import Glibc

/// The child's stdout and stderr pipes (close-on-exec, so no other child inherits them).
struct SubprocessPipes {
    /// One pipe: the parent reads `read`, the child writes `write` (dup'ed to fd 1 or 2).
    struct Pipe {
        var read: Int32
        var write: Int32
    }

    var output: Pipe
    var error: Pipe

    /// Two fresh pipes; throws (closing what was opened) when the process is out of descriptors.
    init(program: String) throws(SubprocessError) {
        self.output = try Self.make(program)
        do { self.error = try Self.make(program) } catch {
            Glibc.close(self.output.read)
            Glibc.close(self.output.write)
            throw error
        }
    }

    /// Closes the write ends once the child holds its copies, so EOF arrives when it exits.
    mutating func closeChildEnds() {
        Self.closeDescriptor(&self.output.write)
        Self.closeDescriptor(&self.error.write)
    }

    /// Closes the read ends (idempotent).
    mutating func closeParentEnds() {
        Self.closeDescriptor(&self.output.read)
        Self.closeDescriptor(&self.error.read)
    }

    /// Closes one read end at EOF (0 = stdout, 1 = stderr).
    mutating func closeRead(stream: Int) {
        if stream == 0 { Self.closeDescriptor(&self.output.read) } else { Self.closeDescriptor(&self.error.read) }
    }

    private static func make(_ program: String) throws(SubprocessError) -> Pipe {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .spawnFailed(program: program, errno: errno) }
        // pipe2 is not visible without _GNU_SOURCE; the window before FD_CLOEXEC only matters to a
        // fork on another thread, and only Subprocess forks in the proxy.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return Pipe(read: fds[0], write: fds[1])
    }

    private static func closeDescriptor(_ fd: inout Int32) {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

/// What the child printed, each stream capped at `limit` bytes.
struct SubprocessOutput {
    let limit: Int
    var standardOutput: [UInt8] = []
    var standardError: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    /// Waits up to `waitMilliseconds` for output and reads what is there; true once both pipes are at
    /// EOF (closed ones are marked -1, which poll ignores).
    mutating func pump(_ pipes: inout SubprocessPipes, waitMilliseconds: Int32) -> Bool {
        var fds = [pipes.output.read, pipes.error.read].map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard fds.contains(where: { $0.fd >= 0 }) else { return true }
        let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
        guard ready > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
            let count = read(fds[index].fd, &buffer, buffer.count)
            if count > 0 {
                self.keep(buffer[0..<count], stream: index)
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                pipes.closeRead(stream: index)
            }
        }
        return pipes.output.read < 0 && pipes.error.read < 0
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>, stream: Int) {
        if stream == 0 {
            self.standardOutput += bytes.prefix(max(0, self.limit - self.standardOutput.count))
        } else {
            self.standardError += bytes.prefix(max(0, self.limit - self.standardError.count))
        }
    }
}
