import MNISTData; import MNISTNetwork; import MNISTReport
print("mnist-eval: not built yet")
