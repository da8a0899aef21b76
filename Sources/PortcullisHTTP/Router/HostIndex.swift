/// Maps host names (exact, then one-label wildcard) to a value without allocating per lookup:
/// names are hashed byte-wise (FNV-1a over lower-cased ASCII) and confirmed by comparing bytes.
public struct HostIndex: Sendable {
    private var exact: [UInt64: [(host: [UInt8], value: Int)]] = [:]
    private var wildcard: [UInt64: [(host: [UInt8], value: Int)]] = [:]

    public init() {}

    /// Adds `host` (lower case; `*.example.com` registers a one-label wildcard).
    public mutating func insert(_ host: String, value: Int) {
        let bytes = Array(host.utf8)
        if bytes.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")]) {
            let suffix = Array(bytes.dropFirst(2))
            self.wildcard[Self.hash(suffix), default: []].append((suffix, value))
        } else {
            self.exact[Self.hash(bytes), default: []].append((bytes, value))
        }
    }

    /// Looks up a lower-cased host (no port, no trailing dot).
    public func lookup(_ host: UnsafeRawBufferPointer) -> Int? {
        if let hit = Self.find(host, in: self.exact[Self.hash(host)]) { return hit }
        guard let dot = host.firstIndex(of: UInt8(ascii: ".")), dot > 0 else { return nil }
        let suffix = UnsafeRawBufferPointer(rebasing: host[(dot + 1)...])
        return Self.find(suffix, in: self.wildcard[Self.hash(suffix)])
    }

    private static func find(_ key: UnsafeRawBufferPointer, in bucket: [(host: [UInt8], value: Int)]?) -> Int? {
        guard let bucket else { return nil }
        for entry in bucket where entry.host.count == key.count && entry.host.elementsEqual(key) {
            return entry.value
        }
        return nil
    }

    @inline(__always)
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
