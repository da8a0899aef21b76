import Foundation
import Testing

@testable import PortcullisCertificates

/// The DNS watch's pure decisions, and its store file.
@Suite struct DomainWatchTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func waitingDomainIsLookedUpWithBackoffThenProvisioned() {
        var machine = DomainWatchStateMachine(interval: 60)
        let entry = WatchedDomain(domain: "shop.test", expect: "edge.test", added: self.start)
        #expect(machine.load([entry], now: self.start) == [])
        #expect(machine.tick(now: self.start) == [.lookup(domain: "shop.test", expect: "edge.test")])
        #expect(machine.tick(now: self.start) == [], "one lookup in flight at a time")
        #expect(machine.lookedUp("shop.test", .notYet, now: self.start) == [.save])
        #expect(machine.tick(now: self.start.addingTimeInterval(59)) == [])
        #expect(machine.tick(now: self.start.addingTimeInterval(60)).count == 1)
        // The second miss waits twice as long; failures keep their reason.
        #expect(machine.lookedUp("shop.test", .failed("timed out"), now: self.start.addingTimeInterval(60)) == [.save])
        #expect(machine.domains[0].lastError == "timed out")
        #expect(machine.tick(now: self.start.addingTimeInterval(60 + 119)) == [])
        let later = self.start.addingTimeInterval(180)
        #expect(machine.tick(now: later).count == 1)
        #expect(machine.lookedUp("shop.test", .pointsHere, now: later) == [.commitSites, .save])
        #expect(machine.domains[0].state == WatchedDomain.ordering && machine.provisioned == ["shop.test"])
        #expect(machine.tick(now: later.addingTimeInterval(3600)) == [], "provisioned domains are not looked up again")
        #expect(machine.certificate("shop.test", .failed("rejectedIdentifier")) == [.save])
        #expect(machine.domains[0].state == "failed: rejectedIdentifier")
        #expect(machine.certificate("shop.test", .issued) == [.save])
        #expect(machine.domains[0].state == WatchedDomain.deployed)
        #expect(machine.certificate("shop.test", .issued) == [])
    }

    @Test func backoffStopsAtAnHour() {
        var machine = DomainWatchStateMachine(interval: 1000)
        _ = machine.load([WatchedDomain(domain: "a.test", expect: "e.test", added: self.start)], now: self.start)
        var now = self.start
        for _ in 0..<6 {
            #expect(machine.tick(now: now).count == 1)
            _ = machine.lookedUp("a.test", .notYet, now: now)
            now = now.addingTimeInterval(DomainWatchStateMachine.maxInterval)
        }
    }

    @Test func removingAProvisionedDomainAsksForACommit() {
        var machine = DomainWatchStateMachine(interval: 60)
        var entry = WatchedDomain(domain: "shop.test", expect: "edge.test", added: self.start)
        entry.state = WatchedDomain.deployed
        #expect(machine.load([entry], now: self.start) == [.commitSites])
        #expect(machine.load([], now: self.start) == [.commitSites])
        #expect(machine.provisioned.isEmpty)
    }

    @Test func storeValidatesAndPersistsPrivately() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("domains-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = WatchedDomainStore(stateDir: directory)
        let added = try store.add(domain: "Shop.Test.", expect: "edge.test")
        #expect(added.domain == "shop.test" && added.state == WatchedDomain.waiting)
        #expect(throws: DomainWatchError.conflict("domain \"shop.test\" is already watched")) {
            try store.add(domain: "shop.test", expect: "edge.test")
        }
        #expect(throws: DomainWatchError.self) { try store.add(domain: "bad..test", expect: "edge.test") }
        #expect(throws: DomainWatchError.self) { try store.add(domain: "*.test", expect: "edge.test") }
        var info = stat()
        #expect(stat(store.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try store.load().map(\.domain) == ["shop.test"])
        try store.remove(domain: "SHOP.test")
        #expect(try store.load().isEmpty)
        #expect(throws: DomainWatchError.notFound("domain \"shop.test\" is not watched")) { try store.remove(domain: "shop.test") }
    }
}
