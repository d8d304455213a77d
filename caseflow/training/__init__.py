"""Training sessions of staff: Programa Aurora's mentors are trained in about ten."""
