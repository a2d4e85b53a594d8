using System;
using System.Collections;
using System.Collections.Generic;

namespace CSharpBpf.Bytecode
{
    /// <summary>An immutable array with value equality, so records holding one compare by content
    /// (what the incremental generator's models need).</summary>
    public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    {
        private readonly T[]? items;

        /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
        public EquatableArray(IEnumerable<T> items) => this.items = new List<T>(items).ToArray();

        /// <summary>The empty array.</summary>
        public static EquatableArray<T> Empty => default;

        /// <inheritdoc/>
        public T this[int index] => (items ?? Array.Empty<T>())[index];
        /// <inheritdoc/>
        public int Count => items?.Length ?? 0;

        /// <inheritdoc/>
        public bool Equals(EquatableArray<T> other)
        {
            if (Count != other.Count) return false;
            var comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < Count; i++)
                if (!comparer.Equals(this[i], other[i])) return false;
            return true;
        }

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            int hash = 17;
            for (int i = 0; i < Count; i++) hash = hash * 31 + (this[i]?.GetHashCode() ?? 0);
            return hash;
        }

        /// <inheritdoc/>
        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(items ?? Array.Empty<T>())).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Value equality.</summary>
        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);
        /// <summary>Value inequality.</summary>
        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

        /// <summary>Wraps an array.</summary>
        public static implicit operator EquatableArray<T>(T[] items) => new EquatableArray<T>(items);
    }
}
