import Synchronization
import Testing

@testable import PortcullisTLS

/// Ticket keys rotate on schedule; the previous key still opens tickets, older ones do not.
@Suite struct TicketKeyRingTests {
    @Test func rotationKeepsThePreviousKey() throws {
        let clock = Mutex(0.0)
        let ring = TicketKeyRing(now: { clock.withLock { $0 } })
        ring.setRotationInterval(100)
        let first = try #require(ring.currentKey())
        #expect(ring.currentKey()?.name == first.name, "same key within the interval")
        clock.withLock { $0 = 150 }
        let second = try #require(ring.currentKey())
        #expect(second.name != first.name, "rotated")
        #expect(
            first.name.withUnsafeBytes { ring.key(named: $0)?.isCurrent } == false,
            "previous key still decrypts (renewed)")
        #expect(second.name.withUnsafeBytes { ring.key(named: $0)?.isCurrent } == true)
        clock.withLock { $0 = 300 }
        _ = ring.currentKey()
        #expect(first.name.withUnsafeBytes { ring.key(named: $0) } == nil, "two rotations later the key is gone")
    }
}
