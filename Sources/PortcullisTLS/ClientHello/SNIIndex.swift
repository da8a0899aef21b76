/// Host name → value map with TLS/HTTP name semantics: an exact name first, then a wildcard that covers
/// exactly one leftmost label (`*.example.com` matches `a.example.com`, not `a.b.example.com` nor
/// `example.com`). Both steps are one dictionary lookup, whatever the number of names.
public struct SNIIndex<Value> {
    private var exact: [String: Value] = [:]
    /// Keyed by the part after `*.`.
    private var wildcard: [String: Value] = [:]

    /// An empty index.
    public init() {}

    /// Adds `host` (lower-cased here; `*.` prefix for a wildcard). The first value added for a name wins;
    /// returns false if `host` was already present.
    @discardableResult
    public mutating func insert(host: String, value: Value) -> Bool {
        let name = host.lowercased()
        if name.hasPrefix("*.") {
            let parent = String(name.dropFirst(2))
            guard self.wildcard[parent] == nil else { return false }
            self.wildcard[parent] = value
        } else {
            guard self.exact[name] == nil else { return false }
            self.exact[name] = value
        }
        return true
    }

    /// The value for `name` (already lower-cased, no trailing dot): exact match, else one-label wildcard.
    public func lookup(_ name: String) -> Value? {
        if let value = self.exact[name] { return value }
        let utf8 = name.utf8
        // The wildcard label must be non-empty: ".example.com" matches nothing.
        guard let dot = utf8.firstIndex(of: UInt8(ascii: ".")), dot != utf8.startIndex else { return nil }
        let parent = name[utf8.index(after: dot)...]
        guard !parent.isEmpty else { return nil }
        return self.wildcard[String(parent)]
    }

    /// Number of names (exact and wildcard) in the index.
    public var count: Int { self.exact.count + self.wildcard.count }
}

extension SNIIndex: Sendable where Value: Sendable {}
