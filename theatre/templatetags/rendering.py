"""{% backend_notice as notice %}: what renders films here, when it is not the GPU generator."""
from django import template

register = template.Library()


@register.simple_tag
def backend_notice():
    from inference.weights import backend_notice as notice

    return notice()
