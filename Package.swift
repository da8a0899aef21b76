// swift-tools-version:6.0
// Portcullis: a TLS-terminating reverse proxy on libevent and OpenSSL.
// The target graph mirrors the data flow: Core (event loop) -> TLS -> HTTP on the data plane,
// Config and Certificates on the control plane, Server composes both, `portcullis` is the CLI.
import PackageDescription

let package = Package(
    name: "Portcullis",
    products: [
        .executable(name: "portcullis", targets: ["portcullis"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // Headers live in /usr/include on Debian; pkgConfig only adds -L/-l for other prefixes.
        .systemLibrary(
            name: "CLibevent", pkgConfig: "libevent_openssl",
            providers: [.apt(["libevent-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .target(name: "CShims", dependencies: ["COpenSSL", "CLibevent"]),

        // Data plane.
        .target(
            name: "PortcullisCore",
            dependencies: ["CLibevent", "CShims", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "PortcullisTLS",
            dependencies: [
                "PortcullisCore", "COpenSSL", "CLibevent", "CShims",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "PortcullisHTTP",
            dependencies: [
                "PortcullisCore", "PortcullisTLS", "CLibevent", "CShims",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Control plane.
        .target(name: "PortcullisConfig", dependencies: ["TOMLKit"]),
        .target(
            name: "PortcullisCertificates",
            dependencies: [
                "PortcullisCore", "PortcullisTLS", "PortcullisConfig", "COpenSSL", "CShims",
                .product(name: "Logging", package: "swift-log"),
            ]),

        .target(
            name: "PortcullisACME",
            dependencies: [
                "PortcullisCore", "PortcullisTLS", "PortcullisCertificates", "PortcullisConfig",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Admin API: routing, authentication, JSON and metrics text over PortcullisCore's evhttp server.
        .target(name: "PortcullisAdmin", dependencies: ["PortcullisCore"]),

        // Composition root and CLI.
        .target(
            name: "PortcullisServer",
            dependencies: [
                "PortcullisCore", "PortcullisTLS", "PortcullisHTTP", "PortcullisConfig",
                "PortcullisCertificates", "PortcullisACME", "PortcullisAdmin",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "portcullis",
            dependencies: [
                "PortcullisServer", "PortcullisConfig", "PortcullisCertificates", "PortcullisTLS", "PortcullisACME",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Tests: unit tests per module, integration scenarios against the real binary.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PortcullisCoreTests", dependencies: ["PortcullisCore", "TestSupport"]),
        .testTarget(name: "PortcullisHTTPTests", dependencies: ["PortcullisHTTP"]),
        .testTarget(name: "PortcullisConfigTests", dependencies: ["PortcullisConfig"]),
        .testTarget(name: "PortcullisTLSTests", dependencies: ["PortcullisTLS", "PortcullisCertificates"]),
        .testTarget(name: "PortcullisCertificatesTests", dependencies: ["PortcullisCertificates", "PortcullisTLS", "PortcullisConfig"]),
        .testTarget(
            name: "PortcullisACMETests", dependencies: ["PortcullisACME", "PortcullisCertificates", "PortcullisConfig", "PortcullisTLS"]),
        .testTarget(name: "PortcullisAdminTests", dependencies: ["PortcullisAdmin", "PortcullisCore"]),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport"]),
    ]
)
