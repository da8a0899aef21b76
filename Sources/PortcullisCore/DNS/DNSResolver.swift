internal import CLibevent
import Glibc

/// Asynchronous DNS on an event base: A/AAAA through libevent's evdns, TXT and CNAME through
/// `DNSUDPQuery`, both to one nameserver (`[acme] resolver`, else the first of /etc/resolv.conf).
/// Never blocks. Confined to the base's thread: call it and get completions there. A name that does
/// not exist has no records (`[]`, `nil`); errors mean no answer could be had.
public final class DNSResolver {
    /// Lookups in flight at most; more fail at once with `tooManyQueries`.
    public static let maxInFlight = 256
    public let nameserver: DNSNameserver
    private let base: EventBase
    private let evdns: OpaquePointer
    private let server: SocketAddress
    private let timeout: Double
    private let attempts: Int
    fileprivate var inFlight = 0

    /// A resolver on `base`; `nameserver` nil reads /etc/resolv.conf (once, here). `timeout` is per attempt.
    public init(base: EventBase, nameserver: DNSNameserver? = nil, timeout: Double = 2, attempts: Int = 2)
        throws(DNSError)
    {
        let nameserver = nameserver ?? DNSNameserver.system()
        guard
            let server = try? SocketAddress.resolve(
                host: nameserver.host, port: Int(nameserver.port), numericOnly: true)
        else {
            throw .socket("nameserver \(nameserver) is not an IP address and port")
        }
        // DISABLE_WHEN_INACTIVE: an idle resolver keeps no event registered, so a loop may exit.
        guard let evdns = evdns_base_new(base.raw, EVDNS_BASE_DISABLE_WHEN_INACTIVE) else {
            throw .socket("evdns_base_new failed")
        }
        guard evdns_base_nameserver_ip_add(evdns, nameserver.description) == 0 else {
            evdns_base_free(evdns, 0)
            throw .socket("evdns cannot use nameserver \(nameserver)")
        }
        // 0x20 case randomization would make test servers and some middleboxes miss records.
        _ = evdns_base_set_option(evdns, "randomize-case:", "0")
        _ = evdns_base_set_option(evdns, "timeout:", String(timeout))
        _ = evdns_base_set_option(evdns, "attempts:", String(attempts))
        (self.nameserver, self.base, self.evdns, self.server) = (nameserver, base, evdns, server)
        (self.timeout, self.attempts) = (timeout, attempts)
    }

    /// Pending lookups complete with an error (evdns's shutdown) before the base is released.
    deinit { evdns_base_free(self.evdns, 1) }

    /// The TXT values of `name` (each record's strings joined), following a CNAME as the server does.
    public func txt(_ name: String, _ done: @escaping (Result<[String], DNSError>) -> Void) {
        self.query(name, .txt) { result in
            done(
                result.map { records in records.compactMap { if case .txt(_, let value) = $0 { value } else { nil } } })
        }
    }

    /// The CNAME target of `name` (lower case, no trailing dot), or nil when it has none.
    public func cname(_ name: String, _ done: @escaping (Result<String?, DNSError>) -> Void) {
        let owner = DNSName.normalize(name)
        self.query(name, .cname) { result in
            done(
                result.map { records in
                    records.lazy.compactMap { if case .cname(owner, let target) = $0 { target } else { nil } }.first
                })
        }
    }

    /// The IPv4 and IPv6 addresses of `name` as text, IPv4 first, each family in the server's order.
    public func addresses(_ name: String, _ done: @escaping (Result<[String], DNSError>) -> Void) {
        guard let normalized = DNSName.normalize(name) else { return done(.failure(.invalidName(name))) }
        guard self.inFlight + 2 <= Self.maxInFlight else { return done(.failure(.tooManyQueries)) }
        let lookup = AddressLookup(name: normalized, resolver: self, done: done)
        let flags = Int32(DNS_QUERY_NO_SEARCH)
        for family in [AF_INET, AF_INET6] {
            self.inFlight += 1
            let arg = Unmanaged.passRetained(AddressPart(lookup, family: family)).toOpaque()
            let request =
                family == AF_INET
                ? evdns_base_resolve_ipv4(self.evdns, normalized, flags, onAddresses, arg)
                : evdns_base_resolve_ipv6(self.evdns, normalized, flags, onAddresses, arg)
            if request == nil {
                Unmanaged<AddressPart>.fromOpaque(arg).takeRetainedValue().complete(
                    code: Int32(DNS_ERR_UNKNOWN), addresses: [])
            }
        }
    }

    private func query(_ name: String, _ type: DNSMessage.RecordType, _ done: @escaping DNSUDPQuery.Completion) {
        guard let normalized = DNSName.normalize(name) else { return done(.failure(.invalidName(name))) }
        guard self.inFlight < Self.maxInFlight else { return done(.failure(.tooManyQueries)) }
        self.inFlight += 1
        let query = DNSUDPQuery(name: normalized, type: type, server: self.server, attempts: self.attempts) {
            [weak self] result in
            self?.inFlight -= 1
            done(result)
        }
        query.start(base: self.base, timeout: self.timeout)
    }
}

/// Both halves (A and AAAA) of one `addresses` lookup.
private final class AddressLookup {
    let name: String
    weak var resolver: DNSResolver?
    var done: ((Result<[String], DNSError>) -> Void)?
    var v4: [String] = []
    var v6: [String] = []
    var failure: DNSError?
    var pending = 2

    init(name: String, resolver: DNSResolver, done: @escaping (Result<[String], DNSError>) -> Void) {
        (self.name, self.resolver, self.done) = (name, resolver, done)
    }

    /// Records one family's outcome; "no such name" and "no data" count as no addresses.
    func record(family: Int32, code: Int32, addresses: [String]) {
        self.resolver?.inFlight -= 1
        switch code {
        case Int32(DNS_ERR_NONE), Int32(DNS_ERR_NOTEXIST), Int32(DNS_ERR_NODATA):
            if family == AF_INET { self.v4 = addresses } else { self.v6 = addresses }
        case Int32(DNS_ERR_TIMEOUT): self.failure = self.failure ?? .timeout(self.name)
        default: self.failure = self.failure ?? .serverFailure(self.name, code: Int(code))
        }
        self.pending -= 1
        guard self.pending == 0, let done = self.done else { return }
        self.done = nil
        // One family answering is enough: many names have no AAAA and some servers fail that query.
        if let failure = self.failure, self.v4.isEmpty, self.v6.isEmpty { return done(.failure(failure)) }
        done(.success(self.v4 + self.v6))
    }
}

/// The evdns callback argument: which lookup and which family.
private final class AddressPart {
    let lookup: AddressLookup
    let family: Int32
    init(_ lookup: AddressLookup, family: Int32) { (self.lookup, self.family) = (lookup, family) }
    func complete(code: Int32, addresses: [String]) {
        self.lookup.record(family: self.family, code: code, addresses: addresses)
    }
}

private let onAddresses: evdns_callback_type = { result, type, count, _, addresses, arg in
    let part = Unmanaged<AddressPart>.fromOpaque(arg!).takeRetainedValue()
    var texts: [String] = []
    if result == DNS_ERR_NONE, let addresses, count > 0 {
        let v6 = type == CChar(DNS_IPv6_AAAA)
        let size = v6 ? 16 : 4
        var buffer = [CChar](repeating: 0, count: 64)
        for index in 0..<Int(count)
        where inet_ntop(v6 ? AF_INET6 : AF_INET, addresses + index * size, &buffer, 64) != nil {
            texts.append(
                String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
    part.complete(code: result, addresses: texts)
}
