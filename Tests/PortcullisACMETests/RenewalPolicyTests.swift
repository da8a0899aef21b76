import Foundation
import Testing

@testable import PortcullisACME

/// Renewal time, ARI window, backoff and poll intervals.
@Suite struct RenewalPolicyTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// A 90-day certificate with renew_remaining 0.33 renews 29.7 days before expiry (jitter 0),
    /// and at most 2 % of the lifetime earlier with full jitter.
    @Test func renewalAtAFractionOfTheRealLifetime() {
        let end = self.start.addingTimeInterval(90 * 86_400)
        let plain = RenewalPolicy.renewalTime(notBefore: self.start, notAfter: end, renewRemaining: 0.33, jitter: 0)
        #expect(abs(end.timeIntervalSince(plain) - 0.33 * 90 * 86_400) < 1)
        let jittered = RenewalPolicy.renewalTime(notBefore: self.start, notAfter: end, renewRemaining: 0.33, jitter: 1)
        #expect(abs(plain.timeIntervalSince(jittered) - 0.02 * 90 * 86_400) < 1)
        // Short-lived (6-day) certificates follow their own lifetime, not a fixed number of days.
        let short = RenewalPolicy.renewalTime(
            notBefore: self.start, notAfter: self.start.addingTimeInterval(6 * 86_400), renewRemaining: 0.5, jitter: 0)
        #expect(short == self.start.addingTimeInterval(3 * 86_400))
    }

    @Test func ariWindow() {
        let windowStart = self.start
        let windowEnd = self.start.addingTimeInterval(86_400)
        let before = self.start.addingTimeInterval(-10)
        #expect(RenewalPolicy.ariRenewalTime(windowStart: windowStart, windowEnd: windowEnd, jitter: 0.5, now: before)
            == self.start.addingTimeInterval(43_200))
        #expect(RenewalPolicy.ariRenewalTime(windowStart: windowStart, windowEnd: windowEnd, jitter: 0, now: before) == windowStart)
        let late = windowEnd.addingTimeInterval(5)
        #expect(RenewalPolicy.ariRenewalTime(windowStart: windowStart, windowEnd: windowEnd, jitter: 0.9, now: late) == late)
        #expect(RenewalPolicy.ariRenewalTime(windowStart: windowEnd, windowEnd: windowStart, jitter: 0.5, now: before) == nil)
    }

    /// Exponential from 5 s (CA unreachable) or 60 s (CA refused), capped at 6 h, jitter ±25 %.
    @Test func backoffGrowsAndIsCapped() {
        #expect(RenewalPolicy.backoff(failures: 1, transient: true, jitter: 0.5) == 5)
        #expect(RenewalPolicy.backoff(failures: 3, transient: true, jitter: 0.5) == 20)
        #expect(RenewalPolicy.backoff(failures: 1, transient: false, jitter: 0.5) == 60)
        #expect(RenewalPolicy.backoff(failures: 4, transient: false, jitter: 0.5) == 480)
        #expect(RenewalPolicy.backoff(failures: 40, transient: false, jitter: 0.5) == 6 * 3600)
        #expect(RenewalPolicy.backoff(failures: 1, transient: false, jitter: 0) == 45)
        #expect(RenewalPolicy.backoff(failures: 1, transient: false, jitter: 1) == 75)
        #expect(RenewalPolicy.backoff(failures: 0, transient: true, jitter: 0.5) > 0, "never a tight loop")
    }

    @Test func pollDelayStartsShortGrowsAndHonoursRetryAfter() {
        var delays: [Double] = []
        var previous: Double? = nil
        for _ in 0..<20 {
            previous = RenewalPolicy.pollDelay(previous: previous, retryAfter: nil)
            delays.append(previous!)
        }
        #expect(delays[0] == 0.05 && delays[1] == 0.075)
        #expect(delays.last == 5)
        #expect(RenewalPolicy.pollDelay(previous: 0.05, retryAfter: 3) == 3)
        #expect(RenewalPolicy.pollDelay(previous: nil, retryAfter: 86_400) == 3600)
    }

    @Test func stableJitterIsDeterministicAndInRange() {
        #expect(RenewalPolicy.stableJitter("0E68EF") == RenewalPolicy.stableJitter("0E68EF"))
        for key in ["a", "b", "c", "serial-1234"] { #expect((0...1).contains(RenewalPolicy.stableJitter(key))) }
    }

    @Test func retryAfterSecondsAndHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        let seconds = HTTPReply(status: 200, headers: [("Retry-After", "120")], body: [])
        #expect(ACMEClient.retryAfter(seconds, now: now) == 120)
        let date = HTTPReply(status: 200, headers: [("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")], body: [])
        #expect(ACMEClient.retryAfter(date, now: now) == 30)
        #expect(ACMEClient.retryAfter(HTTPReply(status: 200, headers: [], body: []), now: now) == nil)
    }
}

/// RFC 9773 certificate identifiers and window parsing.
@Suite struct RenewalInfoTests {
    /// The example of RFC 9773 §4.1: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4 and
    /// serial 0x87654321 (DER content 00 87 65 43 21).
    @Test func certificateIDMatchesTheRFCExample() {
        let aki: [UInt8] = [0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3, 0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4]
        #expect(RenewalInfo.certificateID(authorityKeyID: aki, serialMagnitude: [0x87, 0x65, 0x43, 0x21]) == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
        #expect(RenewalInfo.certificateID(authorityKeyID: [1], serialMagnitude: [0x12, 0x34]) == "AQ.EjQ")
    }

    @Test func windowIsParsed() {
        let body = Array(#"{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"x"}"#.utf8)
        let window = RenewalInfo.window(from: body)
        #expect(window?.start == Date(timeIntervalSince1970: 1_735_790_400))
        #expect(window?.end == Date(timeIntervalSince1970: 1_735_876_800))
        #expect(RenewalInfo.window(from: Array("{}".utf8)) == nil)
    }
}
