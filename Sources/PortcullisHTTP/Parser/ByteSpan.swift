/// A range of bytes in a message head, as offsets into the buffer that was parsed.
public struct ByteSpan: Sendable, Equatable {
    /// Offset of the first byte.
    public var start: Int
    /// Number of bytes.
    public var count: Int

    /// Creates a span of `count` bytes at `start`.
    @inlinable
    public init(start: Int, count: Int) {
        self.start = start
        self.count = count
    }

    /// Offset just past the last byte.
    @inlinable
    public var end: Int { self.start + self.count }

    /// An empty span at offset 0.
    public static let empty = ByteSpan(start: 0, count: 0)
}

extension UnsafeRawBufferPointer {
    /// The bytes of `s`, rebased so that index 0 is `s.start`.
    @inlinable
    public func span(_ s: ByteSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[s.start..<s.end])
    }

    /// Whether the bytes of `s` equal `literal`, ignoring ASCII case on both sides.
    @inlinable
    public func equalsASCIICaseInsensitive(_ s: ByteSpan, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { lit in
            guard lit.count == s.count else { return false }
            for i in 0..<s.count where ASCII.lower(self[s.start &+ i]) != ASCII.lower(lit[i]) {
                return false
            }
            return true
        }
    }

    /// Whether the bytes of `s` equal `literal` exactly (methods and versions are case-sensitive).
    @inlinable
    public func equalsASCII(_ s: ByteSpan, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { lit in
            guard lit.count == s.count else { return false }
            for i in 0..<s.count where self[s.start &+ i] != lit[i] {
                return false
            }
            return true
        }
    }

    /// Whether the bytes of two spans of this buffer are equal, ignoring ASCII case.
    @inlinable
    public func equalsASCIICaseInsensitive(_ a: ByteSpan, _ b: ByteSpan) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where ASCII.lower(self[a.start &+ i]) != ASCII.lower(self[b.start &+ i]) {
            return false
        }
        return true
    }
}
