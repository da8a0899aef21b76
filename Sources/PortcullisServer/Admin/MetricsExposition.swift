import Foundation
import PortcullisAdmin
import PortcullisCertificates
import PortcullisHTTP

/// Renders every Prometheus metric of the process: certificates (from the status table), the data
/// plane's counters (summed over workers), commits and ACME orders. Control thread; runs per scrape,
/// with the certificate rows from a `MetricsCertificateCache` (no store read unless something changed).
enum MetricsExposition {
    /// The whole exposition.
    /// `listenerLabels[i]` names listener `i` (its address with the real port).
    static func render(
        _ plane: ControlPlane, listenerLabels: [String], certificates cache: MetricsCertificateCache, now: Date = Date()
    ) -> String {
        var text = PrometheusText()
        self.certificates(cache.rows(plane, now: now), now: now, into: &text)
        self.dataPlane(plane, listenerLabels: listenerLabels, into: &text)
        self.controlPlane(plane, into: &text)
        return text.text
    }

    private static func certificates(_ cached: [MetricsCertificateCache.Row], now: Date, into text: inout PrometheusText) {
        let rows = cached.map(\.row)
        let dated = cached.compactMap { entry -> (CertificateStatusRow, Date, Date)? in
            guard let before = entry.notBefore, let after = entry.notAfter else { return nil }
            return (entry.row, before, after)
        }
        text.family("portcullis_certificate_not_after_timestamp_seconds", .gauge, help: "End of validity (Unix time).")
        for (row, _, after) in dated {
            text.sample("portcullis_certificate_not_after_timestamp_seconds", [("name", row.name), ("source", row.source)], after.timeIntervalSince1970)
        }
        text.family("portcullis_certificate_not_before_timestamp_seconds", .gauge, help: "Start of validity (Unix time).")
        for (row, before, _) in dated {
            text.sample("portcullis_certificate_not_before_timestamp_seconds", [("name", row.name), ("source", row.source)], before.timeIntervalSince1970)
        }
        text.family("portcullis_certificate_expiry_seconds", .gauge, help: "Seconds until the certificate expires (negative once expired).")
        for (row, _, after) in dated {
            text.sample("portcullis_certificate_expiry_seconds", [("name", row.name)], after.timeIntervalSince(now).rounded(.down))
        }
        text.family("portcullis_certificate_status", .gauge, help: "1 for the certificate's status (valid, expiring, expired, ...).")
        for row in rows {
            text.sample("portcullis_certificate_status", [("name", row.name), ("status", row.status)], 1)
        }
    }

    private static func dataPlane(_ plane: ControlPlane, listenerLabels: [String], into text: inout PrometheusText) {
        let snapshot = plane.metrics.snapshot()
        let configured = plane.config.listeners.map(\.bind.description)
        let listeners = listenerLabels.count == configured.count ? listenerLabels : configured
        text.family("portcullis_tls_handshakes_total", .counter, help: "TLS handshakes by listener and result.")
        for (index, bind) in listeners.enumerated() where plane.config.listeners[index].tls {
            for (result, cell) in [("ok", MetricsLayout.ListenerCell.handshakeOK), ("failed", .handshakeFailed), ("resumed", .handshakeResumed)] {
                text.sample("portcullis_tls_handshakes_total", [("listener", bind), ("result", result)], Double(snapshot.listener(index, cell)))
            }
        }
        text.family("portcullis_connections_open", .gauge, help: "Client connections open now, by listener.")
        for (index, bind) in listeners.enumerated() {
            let open = snapshot.listener(index, .opened) - snapshot.listener(index, .closed)
            text.sample("portcullis_connections_open", [("listener", bind)], Double(max(0, open)))
        }
        self.requests(snapshot, into: &text)
        text.family(
            "portcullis_access_log_dropped_total", .counter,
            help: "Access log lines dropped because the log destination was not accepting writes.")
        text.sample("portcullis_access_log_dropped_total", [], Double(snapshot.accessLogDropped))
    }

    private static func requests(_ snapshot: DataPlaneMetricsSnapshot, into text: inout PrometheusText) {
        let slots = Array(snapshot.siteNames.indices)
        text.family("portcullis_http_requests_total", .counter, help: "Responses by site and status code.")
        for slot in slots {
            for (code, count) in zip(MetricsLayout.codeLabels, snapshot.codes(slot: slot)) where count > 0 {
                text.sample("portcullis_http_requests_total", [("site", snapshot.siteNames[slot]), ("code", code)], Double(count))
            }
        }
        text.family("portcullis_http_request_duration_seconds", .histogram, help: "Time from request head to the end of the response, by site.")
        for slot in slots {
            let (counts, sum) = snapshot.durations(slot: slot)
            guard counts.reduce(0, +) > 0 else { continue }
            text.histogram(
                "portcullis_http_request_duration_seconds", [("site", snapshot.siteNames[slot])],
                upperBounds: MetricsLayout.durationBounds, counts: counts, sum: sum)
        }
        text.family("portcullis_upstream_errors_total", .counter, help: "Upstream failures by site and kind (connect, timeout, reset).")
        for slot in slots {
            for kind in MetricsLayout.UpstreamError.allCases {
                let count = snapshot.upstreamErrors(slot: slot, kind)
                if count > 0 {
                    text.sample("portcullis_upstream_errors_total", [("site", snapshot.siteNames[slot]), ("kind", kind.label)], Double(count))
                }
            }
        }
    }

    private static func controlPlane(_ plane: ControlPlane, into text: inout PrometheusText) {
        text.family("portcullis_upstream_up", .gauge, help: "Active health check state by site and upstream (1 up, 0 down).")
        for (index, site) in plane.config.sites.enumerated() where site.healthCheck != nil {
            for (upstream, address) in site.upstreams.enumerated() {
                let up = plane.upstreamState(site: index, upstream: upstream) != "down"
                text.sample("portcullis_upstream_up", [("site", site.hosts.first ?? ""), ("upstream", address.description)], up ? 1 : 0)
            }
        }
        text.family("portcullis_reloads_total", .counter, help: "Commits of a new serving state by trigger and result.")
        for (key, count) in plane.reloadCounts.sorted(by: { ($0.key.trigger.rawValue, $0.key.result) < ($1.key.trigger.rawValue, $1.key.result) }) {
            text.sample("portcullis_reloads_total", [("trigger", key.trigger.rawValue), ("result", key.result)], Double(count))
        }
        text.family("portcullis_config_last_reload_success_timestamp_seconds", .gauge, help: "When the last commit succeeded (Unix time).")
        text.sample("portcullis_config_last_reload_success_timestamp_seconds", [], plane.lastCommitSuccess)
        text.family("portcullis_acme_orders_total", .counter, help: "Finished ACME orders by result (success, failure).")
        let orders = plane.acme?.orders.snapshot() ?? [:]
        for result in ["success", "failure"] {
            text.sample("portcullis_acme_orders_total", [("result", result)], Double(orders[result] ?? 0))
        }
        text.family("portcullis_expiry_warnings_total", .counter, help: "Certificate expiry warnings raised.")
        text.sample("portcullis_expiry_warnings_total", [], Double(plane.events.total(.expiryWarning)))
    }
}
