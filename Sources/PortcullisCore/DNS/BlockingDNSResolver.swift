internal import CLibevent

/// `DNSResolver` for a control-plane thread that runs no loop of its own (the ACME thread, the CLI):
/// each call drives a private base until the answer is in. Never use it on a worker.
public final class BlockingDNSResolver {
    private let base: EventBase
    private let resolver: DNSResolver

    public init(nameserver: DNSNameserver? = nil, timeout: Double = 2, attempts: Int = 2) throws(DNSError) {
        self.base = EventBase()
        self.resolver = try DNSResolver(base: self.base, nameserver: nameserver, timeout: timeout, attempts: attempts)
    }

    public var nameserver: DNSNameserver { self.resolver.nameserver }

    public func txt(_ name: String) throws(DNSError) -> [String] { try self.wait { self.resolver.txt(name, $0) } }
    public func cname(_ name: String) throws(DNSError) -> String? { try self.wait { self.resolver.cname(name, $0) } }
    public func addresses(_ name: String) throws(DNSError) -> [String] {
        try self.wait { self.resolver.addresses(name, $0) }
    }

    /// Starts a lookup and runs the base until it completes (its own timeouts bound the wait).
    private func wait<T>(_ start: (@escaping (Result<T, DNSError>) -> Void) -> Void) throws(DNSError) -> T {
        var outcome: Result<T, DNSError>?
        start { outcome = $0 }
        while outcome == nil {
            // 1 = nothing left to wait for; a lookup always completes before that, so stop rather than spin.
            if event_base_loop(self.base.raw, EVLOOP_ONCE) != 0, outcome == nil {
                throw .socket("DNS lookup left no pending event")
            }
        }
        return try outcome!.get()
    }
}
