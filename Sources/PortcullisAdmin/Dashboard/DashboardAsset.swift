/// One file of the embedded dashboard: its URL path, media type and bytes. The dashboard has no build
/// step and loads nothing from elsewhere, so these literals are the whole front end.
public struct DashboardAsset: Sendable {
    public let path: String
    public let contentType: String
    public let body: [UInt8]

    /// An asset served at `path` with `contentType`, from the UTF-8 of `text`.
    public init(path: String, contentType: String, text: String) {
        self.path = path
        self.contentType = contentType
        self.body = Array(text.utf8)
    }

    /// Every asset, keyed by URL path. `/` is the page; the rest live under `/assets/`.
    public static let all: [String: DashboardAsset] = {
        let js = "text/javascript; charset=utf-8"
        let list = [
            DashboardAsset(path: "/", contentType: "text/html; charset=utf-8", text: DashboardIndexHTML.text),
            DashboardAsset(path: "/assets/app.css", contentType: "text/css; charset=utf-8", text: DashboardStyleCSS.text),
            DashboardAsset(path: "/assets/favicon.svg", contentType: "image/svg+xml", text: DashboardIndexHTML.favicon),
            DashboardAsset(path: "/assets/app.js", contentType: js, text: DashboardAppJS.text),
            DashboardAsset(path: "/assets/api.js", contentType: js, text: DashboardAPIJS.text),
            DashboardAsset(path: "/assets/dom.js", contentType: js, text: DashboardDOMJS.text),
            DashboardAsset(path: "/assets/status.js", contentType: js, text: DashboardStatusJS.text),
            DashboardAsset(path: "/assets/certs.js", contentType: js, text: DashboardCertsJS.text),
            DashboardAsset(path: "/assets/detail.js", contentType: js, text: DashboardDetailJS.text),
            DashboardAsset(path: "/assets/x509.js", contentType: js, text: DashboardX509JS.text),
            DashboardAsset(path: "/assets/add.js", contentType: js, text: DashboardAddJS.text),
            DashboardAsset(path: "/assets/orders.js", contentType: js, text: DashboardOrdersJS.text),
            DashboardAsset(path: "/assets/policies.js", contentType: js, text: DashboardPoliciesJS.text),
            DashboardAsset(path: "/assets/events.js", contentType: js, text: DashboardEventsJS.text),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.path, $0) })
    }()
}
