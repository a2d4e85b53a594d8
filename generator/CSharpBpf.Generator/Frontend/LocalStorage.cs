using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>Where a local or parameter lives: a register, memory (a struct, or a scalar whose
    /// address is taken), a ref (a register holding a pointer), or the program's context.</summary>
    internal sealed class LocalStorage
    {
        private LocalStorage(LocalKind kind, int register, Place? place)
        {
            Kind = kind;
            Register = register;
            Place = place;
        }

        public LocalKind Kind { get; }
        public int Register { get; }
        public Place? Place { get; }

        public static LocalStorage InRegister(int register) => new LocalStorage(LocalKind.Register, register, null);
        public static LocalStorage InMemory(Place place) => new LocalStorage(LocalKind.Memory, -1, place);
        public static LocalStorage Reference(int pointer) => new LocalStorage(LocalKind.Reference, pointer, null);
        public static LocalStorage Context(int pointer) => new LocalStorage(LocalKind.Context, pointer, null);
    }

    internal enum LocalKind { Register, Memory, Reference, Context }
}
