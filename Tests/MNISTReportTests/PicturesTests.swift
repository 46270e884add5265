import MNISTEvaluation
import MNISTPictures
@testable import MNISTReport
import Testing

/// The pictures of an evaluation: the misclassified grid's captions and the confusion heat map.
@Suite struct PicturesTests {
    @Test func gridCaptionReadsTrueThenPredictedThenConfidence() {
        let entry = RetainedImage(index: 247, label: 4, predicted: 2, confidence: 0.634,
                                  pixels: [UInt8](repeating: 0, count: 784))
        #expect(MisclassifiedGrid.caption(entry) == "4>2 63%")
        #expect(TextArt.misclassified([entry]).hasPrefix("#247  true 4  predicted 2 (63%)\n+"))
    }

    @Test func heatMapCellsKeepTheirCountsReadable() {
        let picture = ConfusionHeatmap(confusion: [[5, 1], [0, 7]]).render()
        // The error cell (row 0, column 1) is tinted red; the zero cell is white.
        let error = picture.colour(x: 80 + 56 + 4, y: 64 + 4)
        let zero = picture.colour(x: 80 + 4, y: 64 + 56 + 4)
        #expect(error.r > error.g && error.r > error.b)
        #expect(zero == .white)
    }
}
