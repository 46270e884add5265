import Foundation
import MNISTPictures
import Testing
import TestSupport

/// PNG written by hand-chosen layouts must come back as the grey levels a
/// viewer would show on white paper.
@Suite struct PNGFileTests {
    struct Layout: CustomTestStringConvertible, Sendable {
        var name: String
        var width = 2, height = 2
        var bitDepth = 8
        var colorType: PNGFile.ColorType
        var interlaced = false
        var data: [UInt8]
        var palette: [UInt8] = []
        var expected: [UInt8]
        var testDescription: String { name }
    }

    static let gradient: [UInt8] = (0..<81).map { UInt8(($0 * 3) % 256) }

    static let layouts: [Layout] = [
        Layout(name: "grey 8-bit", colorType: .grey, data: [0, 100, 200, 255], expected: [0, 100, 200, 255]),
        Layout(name: "grey 16-bit", bitDepth: 16, colorType: .grey,
               data: [0, 0, 100, 100, 200, 200, 255, 255], expected: [0, 100, 200, 255]),
        Layout(name: "grey 1-bit", bitDepth: 1, colorType: .grey, data: [0x80, 0x40], expected: [255, 0, 0, 255]),
        Layout(name: "RGB 8-bit", colorType: .rgb, data: [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255],
               expected: [0, 100, 200, 255]),
        Layout(name: "RGB 16-bit", bitDepth: 16, colorType: .rgb,
               data: [UInt8](repeating: 0, count: 6) + [UInt8](repeating: 100, count: 6)
                   + [UInt8](repeating: 200, count: 6) + [UInt8](repeating: 255, count: 6),
               expected: [0, 100, 200, 255]),
        Layout(name: "RGBA composited on white", colorType: .rgba,
               data: [0, 0, 0, 0, 0, 0, 0, 255, 200, 200, 200, 128, 255, 255, 255, 255], expected: [255, 0, 227, 255]),
        Layout(name: "grey+alpha", colorType: .greyAlpha, data: [0, 255, 0, 0, 100, 255, 255, 128],
               expected: [0, 255, 100, 255]),
        Layout(name: "palette", colorType: .palette, data: [0, 1, 2, 1], palette: [0, 0, 0, 255, 255, 255, 100, 100, 100],
               expected: [0, 255, 100, 255]),
        Layout(name: "interlaced grey 9×9", width: 9, height: 9, colorType: .grey, interlaced: true,
               data: gradient, expected: gradient),
    ]

    @Test(arguments: layouts)
    func readsEveryLayoutAsGreyOnWhite(_ layout: Layout) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("image.png")
        try PNGFile.write(path: path, width: layout.width, height: layout.height, bitDepth: layout.bitDepth,
                          colorType: layout.colorType, interlaced: layout.interlaced, data: layout.data,
                          palette: layout.palette)
        let image = try ImageFile.read(path: path)
        #expect(image.width == layout.width && image.height == layout.height)
        for (found, expected) in zip(image.pixels, layout.expected) {
            #expect(abs(Int(found) - Int(expected)) <= 1, "found \(image.pixels), expected \(layout.expected)")
        }
    }

    @Test func drawnCanvasReadsBackAsItsGreyLevels() throws {
        var canvas = RGBCanvas(width: 3, height: 1)
        canvas.set(x: 0, y: 0, .black)
        canvas.set(x: 1, y: 0, RGBCanvas.Colour(100, 100, 100))
        let folder = TemporaryDirectory()
        try PNGFile.write(canvas, to: folder.file("canvas.png"))
        let image = try ImageFile.read(path: folder.file("canvas.png"))
        #expect(image == GreyImage(width: 3, height: 1, pixels: [0, 100, 255]))
    }

    @Test func writingIntoAMissingFolderIsAnUnwritableFile() throws {
        let canvas = RGBCanvas(width: 1, height: 1)
        let error = #expect(throws: ImageError.self) { try PNGFile.write(canvas, to: "/nonexistent/folder/x.png") }
        #expect(error?.kind == .writeFailed(errno: ENOENT))
        #expect(error?.isUnreadableFile == true)
    }
}
