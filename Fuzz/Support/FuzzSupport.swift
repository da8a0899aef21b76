// Shared by every fuzz target (compiled into each one by scripts/fuzz.sh).

/// Checks a property the parser promises; a broken one is a crash libFuzzer records like any other.
@inline(never)
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz property broken: \(message())") }
}

/// The input as a buffer that lives for the call.
func fuzzBuffer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    guard let data, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: data, count: size)
}

/// The input split at the first `separator` byte: (before, after); no separator gives (nil, all).
func fuzzSplit(_ bytes: UnsafeRawBufferPointer, at separator: UInt8) -> (head: [UInt8]?, rest: [UInt8]) {
    guard let index = bytes.firstIndex(of: separator) else { return (nil, Array(bytes)) }
    return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
}
