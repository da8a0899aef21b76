/// Host name → value map with TLS/HTTP name semantics: an exact name first, then a wildcard that covers
/// exactly one leftmost label (`*.example.com` matches `a.example.com`, not `a.b.example.com` nor
/// `example.com`). Both steps are one hash lookup, whatever the number of names. Used for SNI in the
/// ClientHello callback and for Host routing, so lookups take raw bytes and allocate nothing: names are
/// hashed byte-wise (FNV-1a) and confirmed by comparing bytes.
public struct SNIIndex<Value> {
    private typealias Entry = (name: [UInt8], value: Value)
    private var exact: [UInt64: [Entry]] = [:]
    /// Keyed by the part after `*.`.
    private var wildcard: [UInt64: [Entry]] = [:]
    /// Number of names (exact and wildcard) in the index.
    public private(set) var count = 0

    /// An empty index.
    public init() {}

    /// Adds `host` (lower-cased here; `*.` prefix for a wildcard). The first value added for a name wins;
    /// returns false if `host` was already present.
    @discardableResult
    public mutating func insert(host: String, value: Value) -> Bool {
        var name = Array(host.lowercased().utf8)
        let isWildcard = name.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")])
        if isWildcard { name.removeFirst(2) }
        let key = Self.hash(name)
        let existing = name.withUnsafeBytes { isWildcard ? Self.find($0, in: self.wildcard[key]) : Self.find($0, in: self.exact[key]) }
        guard existing == nil else { return false }
        if isWildcard {
            self.wildcard[key, default: []].append((name, value))
        } else {
            self.exact[key, default: []].append((name, value))
        }
        self.count += 1
        return true
    }

    /// The value for `name` (already lower-cased, no trailing dot): exact match, else one-label wildcard.
    public func lookup(_ name: UnsafeRawBufferPointer) -> Value? {
        if let value = Self.find(name, in: self.exact[Self.hash(name)]) { return value }
        // The wildcard label must be non-empty: ".example.com" matches nothing.
        guard let dot = name.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot + 1 < name.count else { return nil }
        let parent = UnsafeRawBufferPointer(rebasing: name[(dot + 1)...])
        return Self.find(parent, in: self.wildcard[Self.hash(parent)])
    }

    /// `lookup` for a String (tests, control plane).
    public func lookup(_ name: String) -> Value? {
        var name = name
        return name.withUTF8 { self.lookup(UnsafeRawBufferPointer($0)) }
    }

    private static func find(_ key: UnsafeRawBufferPointer, in bucket: [Entry]?) -> Value? {
        guard let bucket else { return nil }
        for entry in bucket where entry.name.count == key.count && entry.name.elementsEqual(key) {
            return entry.value
        }
        return nil
    }

    @inline(__always)
    private static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}

extension SNIIndex: Sendable where Value: Sendable {}
