using SearchRerank.Core;

namespace SearchRerank.Rerank;

/// <summary>
/// A cross-encoder cannot be loaded or used as configured: a model folder that is missing, unreadable or inconsistent
/// (the message names the file), ONNX Runtime's native library missing from the application (the message names the
/// package to add), or a <see cref="CrossEncoderRescorer"/> whose fields the candidates do not store (the message
/// names the field and the stored fields the documents have).
/// </summary>
public class RerankException : SearchRerankException
{
    public RerankException(string message) : base(message) { }

    public RerankException(string message, Exception inner) : base(message, inner) { }
}
