import Glibc

/// Writes access log lines without ever blocking the worker (nginx blocks on a full log pipe; HAProxy
/// drops and counts, as here). A destination that does not take a line right now (a full pipe or FIFO
/// whose reader stalled, a slow terminal, a full socket buffer) loses that line: it is counted in
/// `portcullis_access_log_dropped_total`, and the control thread logs the drops (`AccessLogDropWatch`),
/// never the worker, which could block on the same stalled stream.
///
/// A non-blocking pipe takes a line of up to PIPE_BUF (4 KiB) whole or not at all; a longer one may go
/// in part. The rest is then kept (at most one line) and sent before the next line, so lines are never
/// torn or interleaved; until it is gone, new lines are dropped.
enum AccessLogOutput {
    static func emit(_ line: UnsafeRawBufferPointer, to sink: AccessLogSink, worker: HTTPWorker) {
        if worker.logPendingFD != sink.fd { worker.logPending.removeAll(keepingCapacity: true) }
        if !worker.logPending.isEmpty {
            let sent = worker.logPending.withUnsafeBytes { self.write($0, to: sink) }
            if sent > 0 { worker.logPending.removeFirst(sent) }
            guard worker.logPending.isEmpty else {
                worker.metrics.counters.accessLogLineDropped()
                return
            }
        }
        let sent = self.write(line, to: sink)
        if sent == line.count { return }
        guard sent > 0 else {
            worker.metrics.counters.accessLogLineDropped()
            return
        }
        worker.logPending.append(contentsOf: line[sent...])
        worker.logPendingFD = sink.fd
    }

    /// One non-blocking attempt; the bytes written, or 0 when none were (EAGAIN, or an error such as
    /// EPIPE once the reader is gone; SIGPIPE is ignored process-wide).
    private static func write(_ bytes: UnsafeRawBufferPointer, to sink: AccessLogSink) -> Int {
        var result: Int
        repeat {
            result = sink.isSocket
                ? send(sink.fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
                : Glibc.write(sink.fd, bytes.baseAddress, bytes.count)
        } while result < 0 && errno == EINTR
        return max(result, 0)
    }
}
