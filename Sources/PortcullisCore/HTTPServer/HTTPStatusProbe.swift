internal import CLibevent
import Glibc

/// One asynchronous plain-HTTP GET on an event base that only wants the status code (the on-demand
/// `ask` endpoint). The completion runs on the base's thread with the status, or nil when the server
/// could not be reached in `timeout` seconds. Never blocks.
public final class HTTPStatusProbe {
    private let done: (Int?) -> Void
    private var connection: OpaquePointer?
    private var keepAlive: Unmanaged<HTTPStatusProbe>?
    private let base: EventBase

    /// Starts `GET http://host:port/target` (`host` an IP literal or "localhost").
    @discardableResult
    public static func get(
        base: EventBase, host: String, port: Int, target: String, timeout: Int32, done: @escaping (Int?) -> Void
    )
        -> HTTPStatusProbe
    {
        let probe = HTTPStatusProbe(base: base, done: done)
        probe.start(host: host, port: port, target: target, timeout: timeout)
        return probe
    }

    private init(base: EventBase, done: @escaping (Int?) -> Void) {
        self.base = base
        self.done = done
    }

    private func start(host: String, port: Int, target: String, timeout: Int32) {
        let retained = Unmanaged.passRetained(self)
        self.keepAlive = retained
        guard let connection = evhttp_connection_base_new(self.base.raw, nil, host, UInt16(port)),
            let request = evhttp_request_new(onProbeDone, retained.toOpaque())
        else { return self.finish(nil) }
        self.connection = connection
        evhttp_connection_set_timeout(connection, timeout)
        evhttp_connection_set_retries(connection, 0)
        let headers = evhttp_request_get_output_headers(request)
        evhttp_add_header(headers, "Host", host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        evhttp_add_header(headers, "Connection", "close")
        if evhttp_make_request(connection, request, EVHTTP_REQ_GET, target) != 0 { self.finish(nil) }
    }

    fileprivate func finish(_ status: Int?) {
        guard let keepAlive = self.keepAlive else { return }
        self.keepAlive = nil
        self.done(status)
        // The connection cannot be freed inside its own request callback: free it on the next loop turn.
        if let connection = self.connection {
            let box = ConnectionBox(connection)
            self.base.schedule { evhttp_connection_free(box.connection) }
        }
        self.connection = nil
        keepAlive.release()
    }
}

private final class ConnectionBox: @unchecked Sendable {  // handed to the same base's thread
    let connection: OpaquePointer
    init(_ connection: OpaquePointer) { self.connection = connection }
}

private let onProbeDone: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { request, arg in
    let probe = Unmanaged<HTTPStatusProbe>.fromOpaque(arg!).takeUnretainedValue()
    let status = request.map { Int(evhttp_request_get_response_code($0)) }
    probe.finish(status.flatMap { $0 > 0 ? $0 : nil })
}
