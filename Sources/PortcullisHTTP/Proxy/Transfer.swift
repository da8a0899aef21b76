internal import CLibevent
import Glibc

/// How much of a message body is still to come, per RFC 9112 §6.3 framing.
enum BodyProgress {
    case none
    case remaining(Int64)
    case chunked(ChunkedScanner)
    /// A chunked body sent on without its framing (to an HTTP/1.0 client, which reads until close).
    case dechunked(ChunkedScanner)
    case untilClose

    init(_ framing: BodyFraming) {
        switch framing {
        case .none: self = .none
        case .contentLength(let length): self = length == 0 ? .none : .remaining(length)
        case .chunked: self = .chunked(ChunkedScanner())
        case .untilClose: self = .untilClose
        }
    }

    var isComplete: Bool {
        if case .none = self { return true }
        return false
    }
}

/// Moves body bytes between evbuffers without copying (chain moves), stopping exactly at the end of
/// the message so pipelined or pooled data is never mixed in.
enum Transfer {
    /// Pause reading the source once the destination holds this much.
    static let highWater = 256 * 1024
    /// Resume once it has drained to this.
    static let lowWater = 64 * 1024

    /// Outcome of one move.
    enum Outcome { case moved(Int), finished(Int), failed(HTTPParseError) }

    /// Moves as much of the body as `source` holds into `destination`, updating `progress`. A chunked
    /// body whose decoded size passes `maxDataBytes` (0 = no limit) fails with `.contentTooLarge`
    /// before the chain holding the excess is moved.
    static func move(
        from source: OpaquePointer, to destination: OpaquePointer, progress: inout BodyProgress, maxDataBytes: Int64 = 0
    ) -> Outcome {
        let available = evbuffer_get_length(source)
        switch progress {
        case .none:
            return .finished(0)
        case .remaining(let left):
            let count = Int(min(Int64(available), left))
            self.transfer(count, from: source, to: destination)
            progress = left - Int64(count) == 0 ? .none : .remaining(left - Int64(count))
            return progress.isComplete ? .finished(count) : .moved(count)
        case .untilClose:
            self.transfer(available, from: source, to: destination)
            return .moved(available)
        case .chunked(var scanner):
            let outcome = self.moveChunked(from: source, to: destination, scanner: &scanner, maxDataBytes: maxDataBytes)
            progress = scanner.isFinished ? .none : .chunked(scanner)
            return outcome
        case .dechunked(var scanner):
            let outcome = self.decodeChunked(from: source, to: destination, scanner: &scanner)
            progress = scanner.isFinished ? .none : .dechunked(scanner)
            return outcome
        }
    }

    /// Moves `count` bytes. Small amounts are copied into the destination's last chain so a head and
    /// a small body leave in one TLS record (bufferevent_openssl writes one record per chain); large
    /// amounts move whole chains without copying.
    @inline(__always)
    static func transfer(_ count: Int, from source: OpaquePointer, to destination: OpaquePointer) {
        guard count > 0 else { return }
        if count <= Self.copyThreshold, let bytes = evbuffer_pullup(source, count) {
            evbuffer_add(destination, bytes, count)
            evbuffer_drain(source, count)
        } else {
            evbuffer_remove_buffer(source, destination, count)
        }
    }

    /// Below this size a body piece is copied rather than moved (see `transfer`).
    static let copyThreshold = 16 * 1024

    /// Scans chains in place (evbuffer_peek) and moves exactly the bytes the scanner accepted.
    private static func moveChunked(
        from source: OpaquePointer, to destination: OpaquePointer, scanner: inout ChunkedScanner, maxDataBytes: Int64
    ) -> Outcome {
        var total = 0
        while !scanner.isFinished, evbuffer_get_length(source) > 0 {
            var consumed = 0
            var failure: HTTPParseError?
            withUnsafeTemporaryAllocation(of: iovec.self, capacity: 8) { vectors in
                let chains = Int(evbuffer_peek(source, -1, nil, vectors.baseAddress, 8))
                for index in 0..<min(chains, 8) {
                    let bytes = UnsafeRawBufferPointer(start: vectors[index].iov_base, count: vectors[index].iov_len)
                    do throws(HTTPParseError) {
                        let used = try scanner.scan(bytes, stopAtTrailers: true)
                        consumed += used
                        if scanner.isFinished || scanner.isAtTrailerSection || used < bytes.count { break }
                    } catch {
                        failure = error
                        break
                    }
                }
            }
            if let failure { return .failed(failure) }
            if maxDataBytes > 0, scanner.dataBytes > maxDataBytes { return .failed(.contentTooLarge) }
            self.transfer(consumed, from: source, to: destination)
            total += consumed
            if scanner.isAtTrailerSection {
                // The trailer section is filtered like a head, so it is taken whole or not at all.
                switch TrailerSection.move(from: source, to: destination, scanner: &scanner) {
                case .waiting: return .moved(total)
                case .moved(let count): return .finished(total + count)
                case .failed(let error): return .failed(error)
                }
            }
            guard consumed > 0 else { break }
        }
        return scanner.isFinished ? .finished(total) : .moved(total)
    }

    /// Copies only the chunk data to `destination` and drops the framing and trailers (the rare
    /// HTTP/1.0 client path, so a copy per chain is fine).
    private static func decodeChunked(from source: OpaquePointer, to destination: OpaquePointer, scanner: inout ChunkedScanner) -> Outcome {
        var total = 0
        while !scanner.isFinished, evbuffer_get_length(source) > 0 {
            var vector = iovec()
            guard evbuffer_peek(source, -1, nil, &vector, 1) > 0, vector.iov_len > 0 else { break }
            let bytes = UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len)
            var consumed = 0
            do throws(HTTPParseError) {
                while consumed < bytes.count, !scanner.isFinished {
                    let step = try scanner.scanSegment(UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
                    if !step.data.isEmpty {
                        evbuffer_add(destination, bytes.baseAddress! + consumed + step.data.lowerBound, step.data.count)
                        total += step.data.count
                    }
                    consumed += step.consumed
                }
            } catch {
                return .failed(error)
            }
            evbuffer_drain(source, consumed)
        }
        return scanner.isFinished ? .finished(total) : .moved(total)
    }
}
