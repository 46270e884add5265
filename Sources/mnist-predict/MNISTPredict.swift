import ArgumentParser
import MNISTData
import MNISTNetwork
import MNISTPictures
import MNISTPredict
import MNISTReport

@main
struct MNISTPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-predict",
        abstract: "Classify your own pictures of handwritten digits with the MNIST network.",
        discussion: """
            Each IMAGE is a PNG (grey, RGB, RGBA or palette; 1 to 16 bits; interlaced or not), \
            a JPEG (grey, colour or CMYK; baseline, progressive or arithmetic; turned upright \
            as its EXIF orientation says) or a PGM/PPM (P2, P5, P3, P6; maxval up to 65535), \
            recognised by its content. \
            A photo, scan or drawing of one digit works: it is turned grey, inverted if it is \
            dark ink on light paper, cleared of its background, cropped to the digit, scaled \
            to fit 20×20 and centred by its centre of mass in 28×28, as MNIST was made. \
            --no-preprocess takes a 28×28 image in MNIST's form (white ink on black) as is.

            Examples:
              mnist-predict seven.png
              mnist-predict --show photo.jpg       also print the 28×28 input as text art
              mnist-predict --format json *.png

            Exit codes:
              0   every image classified
              64  usage error
              65  a malformed image (or weights); the other images are still classified
              66  a file that cannot be opened
            """,
        version: PackageVersion.string)

    @Argument(help: ArgumentHelp("PNG, JPEG, PGM or PPM pictures of one digit each.", valueName: "image"))
    var images: [String]

    @Option(help: ArgumentHelp("Weights in safetensors format (default: the shipped weights, built in).", valueName: "path"))
    var weights: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Print the 28×28 input each image was classified from, as text art.")
    var show = false

    @Flag(help: "Use each image as is: it must be 28×28, white ink on black.")
    var noPreprocess = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let network: Network
        do {
            network = try weights.map { try Network.load(path: $0).network } ?? Network.loadShipped().network
        } catch {
            Self.error("\(error)")
            throw ExitCode(ExitStatus(for: error).rawValue)
        }
        // A bad image is reported and skipped, so one unreadable file in a
        // batch does not hide the answers for the others; the exit code is
        // the first failure's.
        var inputs: [(file: String, pixels: [UInt8])] = []
        var failure: ExitStatus?
        for path in images {
            do {
                inputs.append((path, try DigitInput.load(path: path, preprocess: !noPreprocess)))
            } catch {
                Self.error("\(error)")
                failure = failure ?? ExitStatus(forAny: error)
            }
        }
        let predictions = DigitPrediction.classify(inputs, network: network)
        print(format == .json ? PredictionReport.json(predictions) : PredictionReport.text(predictions, show: show),
              terminator: "")
        if let failure { throw ExitCode(failure.rawValue) }
    }

    static func error(_ message: String) {
        StandardError.write("mnist-predict: error: \(message)\n")
    }
}
