using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>An ordered table of BTF types; a type's id is its position plus one (0 is void).</summary>
    public sealed class BtfTypeTable
    {
        private readonly List<BtfType> types = new List<BtfType>();
        private readonly Dictionary<BtfType, int> ids = new Dictionary<BtfType, int>();

        /// <summary>The types in id order (id 1 first).</summary>
        public IReadOnlyList<BtfType> Types => types;

        /// <summary>Adds <paramref name="type"/>, or returns the id of an equal type already present.</summary>
        public int Add(BtfType type)
        {
            if (ids.TryGetValue(type, out int id)) return id;
            types.Add(type);
            id = types.Count;
            ids.Add(type, id);
            return id;
        }

        /// <summary>Adds a type even if an equal one exists (BTF allows duplicates; a reader must keep ids stable).</summary>
        public int AddDistinct(BtfType type)
        {
            types.Add(type);
            if (!ids.ContainsKey(type)) ids.Add(type, types.Count);
            return types.Count;
        }

        /// <summary>The type with <paramref name="id"/>.</summary>
        public BtfType this[int id] => types[id - 1];
    }
}
