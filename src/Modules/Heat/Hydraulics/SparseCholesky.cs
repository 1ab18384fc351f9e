namespace Socle.Modules.Heat.Hydraulics;

/// <summary>
/// Sparse Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix whose pattern is a graph (the nodal
/// Jacobian of a pipe network: a weighted Laplacian). The ordering (minimum degree) and the pattern of L are computed once
/// per network; each Newton step and each hour only refills the numbers. District heating networks are nearly trees,
/// so L has little fill and a factorisation costs a few multiplications per node.
/// </summary>
internal sealed class SparseCholesky
{
    private readonly int _n;
    private readonly int[] _perm;      // _perm[k] = original index eliminated k-th
    private readonly int[] _inverse;   // _inverse[original] = k
    private readonly int[] _colStart;  // CSC of L in elimination order; the diagonal is the first entry of each column
    private readonly int[] _rowIndex;
    private readonly double[] _values;
    private readonly int[] _rowListStart; // for row k: the columns j < k with L[k, j] ≠ 0, and where that entry sits
    private readonly int[] _rowListColumn;
    private readonly int[] _rowListPosition;
    private readonly double[] _work;

    /// <summary>Builds the ordering and the pattern of L for an n×n matrix whose off-diagonal pattern is <paramref name="edges"/>.</summary>
    public SparseCholesky(int n, IEnumerable<(int I, int J)> edges)
    {
        _n = n;
        var adjacency = new HashSet<int>[n];
        for (var i = 0; i < n; i++)
        {
            adjacency[i] = [];
        }
        foreach (var (a, b) in edges)
        {
            if (a != b)
            {
                adjacency[a].Add(b);
                adjacency[b].Add(a);
            }
        }

        // Minimum degree on the elimination graph, ties broken by index (deterministic).
        _perm = new int[n];
        _inverse = new int[n];
        var eliminated = new bool[n];
        var queue = new PriorityQueue<int, (int Degree, int Index)>();
        for (var i = 0; i < n; i++)
        {
            queue.Enqueue(i, (adjacency[i].Count, i));
        }
        var columns = new int[n][];
        var k = 0;
        while (queue.TryDequeue(out var v, out var priority))
        {
            if (eliminated[v] || priority.Degree != adjacency[v].Count)
            {
                continue; // stale entry
            }
            eliminated[v] = true;
            _perm[k] = v;
            _inverse[v] = k;
            k++;
            var neighbours = adjacency[v].ToArray();
            columns[v] = neighbours;
            foreach (var a in neighbours)
            {
                adjacency[a].Remove(v);
            }
            for (var x = 0; x < neighbours.Length; x++)
            {
                for (var y = x + 1; y < neighbours.Length; y++)
                {
                    if (adjacency[neighbours[x]].Add(neighbours[y]))
                    {
                        adjacency[neighbours[y]].Add(neighbours[x]);
                    }
                }
            }
            foreach (var a in neighbours)
            {
                queue.Enqueue(a, (adjacency[a].Count, a));
            }
            adjacency[v].Clear();
        }

        // Pattern of L, in elimination order, rows sorted.
        _colStart = new int[n + 1];
        for (var c = 0; c < n; c++)
        {
            _colStart[c + 1] = _colStart[c] + 1 + columns[_perm[c]].Length;
        }
        _rowIndex = new int[_colStart[n]];
        _values = new double[_colStart[n]];
        var rowCounts = new int[n];
        for (var c = 0; c < n; c++)
        {
            var start = _colStart[c];
            _rowIndex[start] = c;
            var rows = columns[_perm[c]].Select(o => _inverse[o]).Order().ToArray();
            for (var r = 0; r < rows.Length; r++)
            {
                _rowIndex[start + 1 + r] = rows[r];
                rowCounts[rows[r]]++;
            }
        }
        _rowListStart = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            _rowListStart[r + 1] = _rowListStart[r] + rowCounts[r];
        }
        _rowListColumn = new int[_rowListStart[n]];
        _rowListPosition = new int[_rowListStart[n]];
        var fill = new int[n];
        for (var c = 0; c < n; c++)
        {
            for (var p = _colStart[c] + 1; p < _colStart[c + 1]; p++)
            {
                var r = _rowIndex[p];
                var slot = _rowListStart[r] + fill[r]++;
                _rowListColumn[slot] = c;
                _rowListPosition[slot] = p;
            }
        }
        _work = new double[n];
    }

    public int Size => _n;

    /// <summary>Non-zeros of L (a measure of fill).</summary>
    public int FactorNonZeros => _values.Length;

    /// <summary>Where the diagonal entry of original row <paramref name="i"/> sits in the value array.</summary>
    public int DiagonalSlot(int i) => _colStart[_inverse[i]];

    /// <summary>Where the entry (i, j), i ≠ j, of the original matrix sits in the lower triangle (an edge given at construction).</summary>
    public int OffDiagonalSlot(int i, int j)
    {
        var a = _inverse[i];
        var b = _inverse[j];
        var (col, row) = a < b ? (a, b) : (b, a);
        var lo = _colStart[col] + 1;
        var hi = _colStart[col + 1] - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var r = _rowIndex[mid];
            if (r == row)
            {
                return mid;
            }
            if (r < row)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        throw new ArgumentException($"({i}, {j}) is not in the pattern");
    }

    /// <summary>
    /// Factorises in place. <paramref name="matrix"/> holds the lower triangle of A in the slots given by
    /// <see cref="DiagonalSlot"/> and <see cref="OffDiagonalSlot"/> (zero elsewhere). Returns the original index of the
    /// first pivot that is not positive (the matrix is singular there: a part of the network without a fixed pressure),
    /// or −1 when the factorisation succeeded.
    /// </summary>
    public int Factorize(ReadOnlySpan<double> matrix)
    {
        var x = _work;
        var l = _values;
        for (var k = 0; k < _n; k++)
        {
            var start = _colStart[k];
            var end = _colStart[k + 1];
            for (var p = start; p < end; p++)
            {
                x[_rowIndex[p]] = matrix[p];
            }
            for (var s = _rowListStart[k]; s < _rowListStart[k + 1]; s++)
            {
                var j = _rowListColumn[s];
                var pos = _rowListPosition[s];
                var lkj = l[pos];
                var jEnd = _colStart[j + 1];
                for (var p = pos; p < jEnd; p++)
                {
                    x[_rowIndex[p]] -= l[p] * lkj;
                }
            }
            var d = x[k];
            if (!(d > 1e-300))
            {
                for (var p = start; p < end; p++)
                {
                    x[_rowIndex[p]] = 0;
                }
                return _perm[k];
            }
            var lkk = Math.Sqrt(d);
            l[start] = lkk;
            x[k] = 0;
            for (var p = start + 1; p < end; p++)
            {
                var r = _rowIndex[p];
                l[p] = x[r] / lkk;
                x[r] = 0;
            }
        }
        return -1;
    }

    /// <summary>Solves A·x = b with the last factorisation; <paramref name="b"/> (original order) is overwritten by x.</summary>
    public void Solve(Span<double> b)
    {
        var y = _work;
        for (var k = 0; k < _n; k++)
        {
            y[k] = b[_perm[k]];
        }
        var l = _values;
        for (var k = 0; k < _n; k++)
        {
            var start = _colStart[k];
            var yk = y[k] / l[start];
            y[k] = yk;
            for (var p = start + 1; p < _colStart[k + 1]; p++)
            {
                y[_rowIndex[p]] -= l[p] * yk;
            }
        }
        for (var k = _n - 1; k >= 0; k--)
        {
            var start = _colStart[k];
            var sum = y[k];
            for (var p = start + 1; p < _colStart[k + 1]; p++)
            {
                sum -= l[p] * y[_rowIndex[p]];
            }
            y[k] = sum / l[start];
        }
        for (var k = 0; k < _n; k++)
        {
            b[_perm[k]] = y[k];
            y[k] = 0;
        }
    }
}
