namespace ReadingBot.Core.Recommendations;

/// <summary>A linear scorer over a <see cref="FeatureSpace"/>: dense weights and a bias.</summary>
public sealed record LinearModel(float[] Weights, float Bias, long SpaceVersion, ModelKind Kind)
{
    public float Score(SparseRow row) => row.Dot(Weights) + Bias;

    /// <summary>The features that add most to <paramref name="row"/>'s score, strongest first.</summary>
    public IReadOnlyList<int> Reasons(SparseRow row, int count)
    {
        var best = new PriorityQueue<int, float>();
        for (var i = 0; i < row.Indices.Length; i++)
        {
            var contribution = Weights[row.Indices[i]] * row.ValueAt(i);
            if (contribution <= 0)
            {
                continue;
            }

            if (best.Count < count)
            {
                best.Enqueue(row.Indices[i], contribution);
            }
            else if (best.TryPeek(out _, out var least) && contribution > least)
            {
                best.DequeueEnqueue(row.Indices[i], contribution);
            }
        }

        var result = new List<int>(best.Count);
        while (best.TryDequeue(out var f, out _))
        {
            result.Add(f);
        }

        result.Reverse();
        return result;
    }
}

/// <summary>How a ranking was made, for the reply's footer.</summary>
public enum ModelKind
{
    /// <summary>A linear SVM trained on the positives against sampled other papers.</summary>
    Svm,

    /// <summary>The weighted centroid of the positives (Rocchio), used until a model is trained.</summary>
    Centroid,

    /// <summary>One paper's own row: cosine neighbours.</summary>
    Similarity,
}

/// <summary>One labelled, weighted training example.</summary>
public readonly record struct TrainingExample(SparseRow Row, bool Positive, double Weight);

/// <summary>
/// Linear classifiers over sparse rows. The SVM is the L2-regularised hinge-loss SVM solved in the dual by
/// coordinate descent (Hsieh et al., ICML 2008), with the bias as a constant feature and class-balanced costs, so a
/// handful of positives against thousands of negatives still pulls the boundary toward the positives.
/// </summary>
public static class LinearModels
{
    /// <summary>Trains a linear SVM; deterministic for a given <paramref name="seed"/>.</summary>
    public static LinearModel TrainSvm(IReadOnlyList<TrainingExample> examples, int features, long spaceVersion, double c = 0.01, int maxEpochs = 40, double tolerance = 0.1, int seed = 17)
    {
        var n = examples.Count;
        var w = new float[features];
        double bias = 0;
        var positives = examples.Count(e => e.Positive);
        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return new LinearModel(w, 0, spaceVersion, ModelKind.Svm);
        }

        var upper = new double[n];
        var diag = new double[n];
        var alpha = new double[n];
        for (var i = 0; i < n; i++)
        {
            var e = examples[i];
            var classCost = c * n / (2.0 * (e.Positive ? positives : negatives));
            upper[i] = classCost * Math.Max(0.05, e.Weight);
            double sq = 1; // the bias feature
            for (var k = 0; k < e.Row.Count; k++)
            {
                var v = e.Row.ValueAt(k);
                sq += v * v;
            }

            diag[i] = sq;
        }

        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (var epoch = 0; epoch < maxEpochs; epoch++)
        {
            random.Shuffle(order);
            var maxPg = double.NegativeInfinity;
            var minPg = double.PositiveInfinity;
            foreach (var i in order)
            {
                var e = examples[i];
                var y = e.Positive ? 1.0 : -1.0;
                var g = (y * (e.Row.Dot(w) + bias)) - 1.0;
                var pg = alpha[i] <= 0 ? Math.Min(g, 0) : alpha[i] >= upper[i] ? Math.Max(g, 0) : g;
                maxPg = Math.Max(maxPg, pg);
                minPg = Math.Min(minPg, pg);
                if (Math.Abs(pg) < 1e-12)
                {
                    continue;
                }

                var old = alpha[i];
                alpha[i] = Math.Min(Math.Max(old - (g / diag[i]), 0), upper[i]);
                var d = (float)((alpha[i] - old) * y);
                if (d == 0)
                {
                    continue;
                }

                var idx = e.Row.Indices;
                var lv = e.Row.Levels;
                var step = d * e.Row.Scale;
                for (var k = 0; k < idx.Length; k++)
                {
                    w[idx[k]] += step * lv[k];
                }

                bias += d;
            }

            if (maxPg - minPg < tolerance)
            {
                break;
            }
        }

        return new LinearModel(w, (float)bias, spaceVersion, ModelKind.Svm);
    }

    /// <summary>The weighted mean of the positive rows (Rocchio): instant, and good with very few positives.</summary>
    public static LinearModel Centroid(IEnumerable<(SparseRow Row, double Weight)> positives, int features, long spaceVersion)
    {
        var w = new float[features];
        double total = 0;
        foreach (var (row, weight) in positives)
        {
            for (var k = 0; k < row.Indices.Length; k++)
            {
                w[row.Indices[k]] += (float)weight * row.ValueAt(k);
            }

            total += weight;
        }

        if (total > 0)
        {
            for (var j = 0; j < w.Length; j++)
            {
                w[j] /= (float)total;
            }
        }

        return new LinearModel(w, 0, spaceVersion, ModelKind.Centroid);
    }

    /// <summary>A paper's own row as dense weights: scoring with it is the cosine (rows are L2-normalised).</summary>
    public static LinearModel Similarity(SparseRow row, int features, long spaceVersion)
    {
        var w = new float[features];
        for (var k = 0; k < row.Indices.Length; k++)
        {
            w[row.Indices[k]] = row.ValueAt(k);
        }

        return new LinearModel(w, 0, spaceVersion, ModelKind.Similarity);
    }

    /// <summary>The <paramref name="count"/> best-scoring candidates (ties to the lower index), best first.</summary>
    public static IReadOnlyList<(int Candidate, float Score)> Top(LinearModel model, IReadOnlyList<SparseRow> rows, IEnumerable<int> candidates, int count)
    {
        var heap = new PriorityQueue<int, (float Score, int Negative)>();
        foreach (var i in candidates)
        {
            var row = rows[i];
            if (row.IsEmpty)
            {
                continue;
            }

            var key = (model.Score(row), -i);
            if (heap.Count < count)
            {
                heap.Enqueue(i, key);
            }
            else if (heap.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0)
            {
                heap.DequeueEnqueue(i, key);
            }
        }

        var result = new List<(int, float)>(heap.Count);
        while (heap.TryDequeue(out var i, out var key))
        {
            result.Add((i, key.Score));
        }

        result.Reverse();
        return result;
    }
}
