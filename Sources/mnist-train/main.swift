import MNISTTraining
print("mnist-train: not built yet")
