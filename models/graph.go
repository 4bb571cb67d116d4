package models

type graphRunner struct{}

func (w *Worker) forwardGraph() ([][]float32, error) { return w.forwardDirect(), nil }
