from django.urls import path

from soporte.escalation import views

app_name = "escalation"
urlpatterns = [
    path("pages/acknowledge/<str:token>/", views.acknowledge_link, name="acknowledge"),
]
