"""{% backend_notice as notice %}: what renders films here, when it is not the GPU generator.
{% signing_notice as signing %}: what signs the films' Content Credentials (for the admin)."""
from django import template

register = template.Library()


@register.simple_tag
def backend_notice():
    from inference.weights import backend_notice as notice

    return notice()


@register.simple_tag
def signing_notice():
    """The signing certificate's description (inference.media.signing.describe), or {"error": …}
    when the configured files cannot sign."""
    from inference.media.signing import SigningError, describe, site_credentials

    try:
        return describe(site_credentials())
    except SigningError as error:
        return {"error": str(error)}
