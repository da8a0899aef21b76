import COpenSSL
import Synchronization
import Testing

@testable import PortcullisTLS

/// The on-demand decisions taken in the ClientHello callback (no network: a bare `SSL`).
@Suite struct OnDemandNamesTests {
    private func withSSL(_ body: (OpaquePointer) throws -> Void) throws {
        let ctx = try #require(SSL_CTX_new(TLS_server_method()))
        defer { SSL_CTX_free(ctx) }
        let ssl = try #require(SSL_new(ctx))
        defer { SSL_free(ssl) }
        try body(ssl)
    }

    private func park(_ names: OnDemandNames, _ ssl: OpaquePointer, _ name: String, known: Bool = false) -> Bool {
        Array(name.utf8).withUnsafeBytes { names.shouldPark(ssl, serverName: $0, known: known) }
    }

    @Test func aNewNameIsRequestedOnceAndParkedUntilFinished() throws {
        try self.withSSL { ssl in
            let names = OnDemandNames()
            let requested = Mutex<[String]>([])
            names.setRequester { name in requested.withLock { $0.append(name) } }
            #expect(self.park(names, ssl, "new.test"))
            #expect(self.park(names, ssl, "new.test"), "a second handshake for the same name waits too")
            #expect(self.park(names, ssl, "new.test", known: true), "a placeholder site does not end the wait")
            #expect(requested.withLock { $0 } == ["new.test"])
            #expect(names.isPending("new.test"))
            names.finish("new.test", refusedFor: nil)
            #expect(!self.park(names, ssl, "new.test", known: true), "in service: served normally")
        }
    }

    @Test func refusedNamesIPLiteralsAndEmptySNINeverPark() throws {
        try self.withSSL { ssl in
            let names = OnDemandNames()
            let requested = Mutex<Int>(0)
            names.setRequester { _ in requested.withLock { $0 += 1 } }
            #expect(self.park(names, ssl, "no.test"))
            names.finish("no.test", refusedFor: 60)
            #expect(!self.park(names, ssl, "no.test"), "refused names get the default certificate during the backoff")
            #expect(!self.park(names, ssl, "192.0.2.1"))
            #expect(!self.park(names, ssl, "2001:db8::1"))
            #expect(!self.park(names, ssl, ""))
            #expect(!self.park(names, ssl, "known.test", known: true))
            #expect(requested.withLock { $0 } == 1)
        }
    }

    @Test func anExpiredWaitCompletesWithTheDefault() throws {
        try self.withSSL { ssl in
            let names = OnDemandNames()
            #expect(self.park(names, ssl, "slow.test"))
            _ = SSL_set_ex_data(ssl, ParkedHandshake.expiredIndex, UnsafeMutableRawPointer(bitPattern: 1))
            #expect(!self.park(names, ssl, "slow.test"))
        }
    }

    @Test func listenerMask() {
        let names = OnDemandNames()
        names.configure(listeners: [0, 2], timeout: 3)
        #expect(names.isOnDemand(listener: 0) && !names.isOnDemand(listener: 1) && names.isOnDemand(listener: 2))
        #expect(names.timeout == 3)
    }
}
