using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// What a subprogram does to the pointers that cross its boundary, so a caller's checks follow values through the
    /// call as the verifier does (it walks into every static subprogram with the caller's register states): whether a
    /// ref it returns may be null or point into the packet, which parameters it reads or writes through before testing
    /// them for null, whether it (or a callee) may move the packet, and which parameters it uses after such a move.
    /// Computed callee-first; a call to a function without a summary (recursion, reported on its own) assumes nothing.
    /// </summary>
    internal sealed class FunctionSummary
    {
        private FunctionSummary(bool returnsMaybeNull, bool returnsPacketPointer, bool[] dereferencesUnchecked, string? movesPacket, string?[] usesAfterMove)
        {
            ReturnsMaybeNull = returnsMaybeNull;
            ReturnsPacketPointer = returnsPacketPointer;
            _dereferencesUnchecked = dereferencesUnchecked;
            MovesPacket = movesPacket;
            _usesAfterMove = usesAfterMove;
        }

        private readonly bool[] _dereferencesUnchecked;
        private readonly string?[] _usesAfterMove;

        /// <summary>Some path returns a pointer that may be null (a map lookup's or GetRefOrNullRef's result, unchecked).</summary>
        public bool ReturnsMaybeNull { get; }

        /// <summary>Some path returns a pointer into the packet.</summary>
        public bool ReturnsPacketPointer { get; }

        /// <summary>The packet-moving helper the function or one of its callees may call (for the caller's message), or null.</summary>
        public string? MovesPacket { get; }

        /// <summary>True when the function accesses memory through parameter <paramref name="index"/> on a path that has not
        /// tested it for null: a caller must not pass a pointer that may be null there.</summary>
        public bool DereferencesUnchecked(int index) => index < _dereferencesUnchecked.Length && _dereferencesUnchecked[index];

        /// <summary>The packet-moving helper after which the function accesses memory through parameter <paramref name="index"/>,
        /// or null: a caller must not pass a packet pointer there.</summary>
        public string? UsesAfterMove(int index) => index < _usesAfterMove.Length ? _usesAfterMove[index] : null;

        /// <param name="globalPointers">For a global function, which parameters are pointers (refs, structs): the kernel wants
        /// each to be valid memory, tested or not. Null for a static subprogram, whose code the checks follow instead.</param>
        public static FunctionSummary Of(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees, bool[]? globalPointers)
        {
            var (ownNull, returnsMaybeNull) = NullCheck.Analyse(function, callees, maybeNullParameter: -1);
            var dereferences = globalPointers ?? function.Parameters.Select((_, i) => NullCheck.Analyse(function, callees, i).Lines.Except(ownNull).Any()).ToArray();
            var (ownStale, returnsPacket) = PacketInvalidationCheck.Analyse(function, callees, packetParameter: -1);
            var usesAfterMove = function.Parameters.Select((_, i) =>
                PacketInvalidationCheck.Analyse(function, callees, i).Stale.Where(s => !ownStale.Contains(s)).Select(s => s.Helper).FirstOrDefault()).ToArray();
            return new FunctionSummary(returnsMaybeNull, returnsPacket, dereferences, PacketInvalidationCheck.MovingHelper(function, callees), usesAfterMove);
        }
    }
}
